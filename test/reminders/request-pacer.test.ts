import winston from 'winston';
import { pacedGateway } from '../../src/reminders/paced-gateway';
import { RequestPacer } from '../../src/reminders/request-pacer';
import { AsanaGateway } from '../../src/services/asana/asana-gateway';
import { FakeAsanaServer } from '../fakes/fake-asana-server';
import { VirtualClock } from './virtual-clock';

const logger = winston.createLogger({ silent: true });

describe('RequestPacer', () => {
  it('spaces requests evenly instead of bursting', async () => {
    const clock = new VirtualClock(0);
    const pacer = new RequestPacer(clock, 60);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        await pacer.take();
        starts.push(clock.now());
      }),
    );
    expect(starts).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('holds everything back while paused', async () => {
    const clock = new VirtualClock(0);
    const pacer = new RequestPacer(clock, 600);
    await pacer.take();
    pacer.pause(20_000);
    await pacer.take();
    expect(clock.now()).toBe(20_000);
  });
});

describe('pacedGateway', () => {
  let asana: FakeAsanaServer;
  beforeEach(async () => {
    asana = await FakeAsanaServer.start({ token: 'pat' });
    asana.addWorkspace({ gid: '1', name: 'W' });
  });
  afterEach(() => asana.close());

  it('paces sweep requests as background work, pauses on Retry-After, and leaves interactive calls alone', async () => {
    const clock = new VirtualClock(0);
    const gateway = new AsanaGateway({
      accessToken: 'pat',
      baseUrl: asana.basePath,
      perMinute: 150,
      logger,
      clock,
      retryPolicy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 60_000 },
    });
    const pacer = new RequestPacer(clock, 60);
    const paced = pacedGateway(gateway, pacer, logger);
    const read = (g: AsanaGateway) =>
      g.call({ name: 'list workspaces', kind: 'read' }, (api) => api.workspaces.getWorkspaces({ limit: 10 }));

    await read(paced);
    asana.fail({ method: 'GET', path: '/workspaces', status: 429, retryAfterSeconds: 30 });
    await read(paced); // throttled once, retried by the gateway after 30 s
    expect(clock.now()).toBeGreaterThanOrEqual(30_000);
    const before = clock.now();
    // While the sweep would still wait for its next slot, a person's command goes straight through.
    pacer.pause(60_000);
    await read(gateway);
    expect(clock.now()).toBe(before);
    await read(paced);
    expect(clock.now()).toBeGreaterThanOrEqual(before + 60_000);
    expect(asana.requests.map((r) => r.status)).toEqual([200, 429, 200, 200, 200]);
  });
});
