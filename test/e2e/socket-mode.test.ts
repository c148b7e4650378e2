import { CREATE_TASK_SHORTCUT } from '../../src/ids';
import { Harness, eventually, startHarness } from '../helpers/bridge-harness';

describe('Socket Mode', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ mode: 'socket' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('connects through apps.connections.open with the app token and serves /asana create', async () => {
    const open = h.slack.callsTo('apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0].token).toMatch(/^xapp-/);
    const before = h.slack.responses().length;

    const ack = await h.driver.command({ text: 'create Socket task in Docs' });

    expect(ack.ms).toBeLessThan(3_000);
    await eventually(() => h.slack.responses().length > before);
    expect(h.slack.responses()[before].body.text).toContain('Socket task');
    expect(h.asana.tasks().map((t) => t.name)).toContain('Socket task');
  });

  it('opens the modal from the message shortcut', async () => {
    const opens = h.slack.callsTo('views.open').length;

    await h.driver.messageShortcut({
      callback_id: CREATE_TASK_SHORTCUT,
      message: { ts: '1700000000.000100', user: 'U_REQ', text: 'Over the socket' },
    });

    await eventually(() => h.slack.callsTo('views.open').length > opens);
    expect(h.slack.callsTo('views.open')[opens].response.ok).toBe(true);
  });

  it('reconnects when Slack asks it to, and serves the next command once (C27)', async () => {
    const opened = h.slack.socket.connectionsOpened;

    h.slack.socketDisconnect('refresh_requested');
    await eventually(() => h.slack.socket.connectionsOpened > opened, 15_000);
    await h.slack.socketConnected();
    const before = h.slack.responses().length;
    const ack = await h.driver.command({ text: 'create After the reconnect' });

    expect(ack.ms).toBeLessThan(3_000);
    await eventually(() => h.slack.responses().length > before);
    expect(h.asana.tasks().filter((t) => t.name === 'After the reconnect')).toHaveLength(1);
    // One reconnect, not a storm.
    expect(h.slack.socket.connectionsOpened - opened).toBeLessThanOrEqual(2);
  }, 30_000);
});
