import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer, type RawData } from 'ws';

export type SocketEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What Slack pushes down the socket for one delivery; `envelope_id` is generated unless given. */
export interface SocketEnvelope {
  type: SocketEnvelopeType;
  payload: object;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
  envelope_id?: string;
}

/** The app's acknowledgement of one envelope; `ms` is real wall time from send to ack. */
export interface SocketAck {
  envelope_id: string;
  payload?: any;
  ms: number;
}

/** A handle on one accepted WebSocket, given to `onConnection` listeners to script Slack's side. */
export interface SocketConnectionHandle {
  /** 1 for the first connection this server accepted, 2 for the next, ... */
  index: number;
  sendJson(message: object): void;
  /** Drop the TCP connection without a close frame, like a network failure. */
  drop(): void;
}

export interface FakeSocketModeServerOptions {
  appId: string;
  now: () => number;
}

interface PendingAck {
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  sentAt: number;
}

const DEFAULT_ACK_TIMEOUT_MS = 5_000;
const GRACEFUL_CLOSE_MS = 1_000;

/**
 * Slack's Socket Mode endpoint on a loopback WebSocket. It speaks the subset of the protocol
 * that @slack/socket-mode 3 relies on: `hello` on connect, `disconnect` messages, envelopes,
 * and `{envelope_id, payload}` acks; ws answers the client's pings with pongs by itself.
 */
export class FakeSocketModeServer {
  /** Every ack-shaped message received, including ones for envelopes nobody is waiting on. */
  readonly acks: Array<{ envelope_id: string; payload: any; at: number }> = [];
  /** Every message this server pushed to a client (hello, disconnect, envelopes). */
  readonly sent: object[] = [];
  connectionsOpened = 0;

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly open = new Set<WebSocket>();
  // Sockets that got `hello` and no `disconnect` yet: the ones Slack would still deliver to.
  private readonly ready: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly readyWaiters = new Set<() => void>();
  private readonly connectionListeners: Array<(conn: SocketConnectionHandle) => void> = [];

  constructor(private readonly options: FakeSocketModeServerOptions) {}

  /** Hand over an HTTP upgrade request that the owning HTTP server routed to this endpoint. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  get openConnections(): number {
    return this.open.size;
  }

  /** Register a script step run right after `hello` on every new connection (e.g. an immediate disconnect). */
  onConnection(listener: (conn: SocketConnectionHandle) => void): void {
    this.connectionListeners.push(listener);
  }

  /** Resolves once some connection has been greeted and not told to disconnect. */
  connected(timeoutMs = DEFAULT_ACK_TIMEOUT_MS): Promise<void> {
    if (this.ready.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        clearTimeout(timer);
        this.readyWaiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(waiter);
        reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.readyWaiters.add(waiter);
    });
  }

  /**
   * Deliver an envelope to the newest usable connection (waiting for one, as Slack holds
   * deliveries while an app reconnects) and resolve with the app's ack for that envelope_id.
   */
  async send(envelope: SocketEnvelope, timeoutMs = DEFAULT_ACK_TIMEOUT_MS): Promise<SocketAck> {
    const started = performance.now();
    await this.connected(timeoutMs);
    const ws = this.ready[this.ready.length - 1];
    const envelopeId = envelope.envelope_id ?? randomUUID();
    const message: Record<string, unknown> = {
      envelope_id: envelopeId,
      payload: envelope.payload,
      type: envelope.type,
      // Slack sets this for deliveries that may carry a response body in the ack.
      accepts_response_payload: envelope.accepts_response_payload ?? envelope.type !== 'events_api',
    };
    if (envelope.type === 'events_api' || envelope.retry_attempt !== undefined) {
      message.retry_attempt = envelope.retry_attempt ?? 0;
      message.retry_reason = envelope.retry_reason ?? '';
    }
    const remaining = Math.max(1, timeoutMs - (performance.now() - started));
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(
          new Error(`envelope ${envelopeId} (${envelope.type}) was not acknowledged within ${timeoutMs} ms`),
        );
      }, remaining);
      this.pending.set(envelopeId, { resolve, reject, timer, sentAt: performance.now() });
      this.push(ws, message);
    });
  }

  /** Tell every connection to go away, as Slack does before recycling a host (`warning`, `refresh_requested`, ...). */
  disconnect(reason = 'warning'): void {
    for (const ws of [...this.ready]) {
      this.push(ws, { type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
    }
  }

  /** Cut every connection at the TCP level, without close frames. */
  drop(): void {
    for (const ws of [...this.open]) ws.terminate();
  }

  async close(): Promise<void> {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`fake Slack closed before envelope ${id} was acknowledged`));
    }
    this.pending.clear();
    // A graceful close lets the client finish its close handshake; a bare TCP cut leaves
    // @slack/socket-mode waiting 30 s on its handshake timer, which keeps jest alive.
    const closing = [...this.open].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          if (ws.readyState === WebSocket.OPEN) ws.close(1001, 'fake Slack closing');
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closing),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, GRACEFUL_CLOSE_MS);
      }),
    ]);
    clearTimeout(timer);
    for (const ws of this.open) ws.terminate();
    this.open.clear();
    this.ready.length = 0;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    this.connectionsOpened += 1;
    const index = this.connectionsOpened;
    this.open.add(ws);
    ws.on('message', (data: RawData, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('close', () => this.forget(ws));
    // A peer reset surfaces as an error event; without a listener ws would throw it.
    ws.on('error', () => this.forget(ws));

    this.push(ws, {
      type: 'hello',
      num_connections: this.open.size,
      debug_info: { host: `applink-fake-${index}`, build_number: 1, approximate_connection_time: 18_060 },
      connection_info: { app_id: this.options.appId },
    });
    this.ready.push(ws);

    const handle: SocketConnectionHandle = {
      index,
      sendJson: (message) => this.push(ws, message),
      drop: () => ws.terminate(),
    };
    for (const listener of this.connectionListeners) listener(handle);
    // Listeners run first so a connection scripted to be refused never counts as connected.
    if (this.ready.includes(ws)) for (const waiter of [...this.readyWaiters]) waiter();
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: any;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof message?.envelope_id !== 'string') return;
    this.acks.push({ envelope_id: message.envelope_id, payload: message.payload, at: this.options.now() });
    const pending = this.pending.get(message.envelope_id);
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.pending.delete(message.envelope_id);
    pending.resolve({
      envelope_id: message.envelope_id,
      payload: message.payload,
      ms: performance.now() - pending.sentAt,
    });
  }

  private push(ws: WebSocket, message: object): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    // A connection told to disconnect (also by a scripted listener) gets no further deliveries.
    if ((message as { type?: unknown }).type === 'disconnect') this.unready(ws);
    this.sent.push(message);
    ws.send(JSON.stringify(message));
  }

  private unready(ws: WebSocket): void {
    const at = this.ready.indexOf(ws);
    if (at >= 0) this.ready.splice(at, 1);
  }

  private forget(ws: WebSocket): void {
    this.open.delete(ws);
    this.unready(ws);
  }
}
