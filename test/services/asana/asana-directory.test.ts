import winston from 'winston';
import { AsanaDirectory } from '../../../src/services/asana/asana-directory';
import {
  type AsanaGateway,
  type AsanaOperation,
  AsanaGateway as Gateway,
  rapidRetryPolicy,
} from '../../../src/services/asana/asana-gateway';
import { FakeAsanaServer } from '../../fakes/fake-asana-server';

const logger = winston.createLogger({ silent: true });
const WS = '1100000000000001';

/** The gateway, recording each operation it is asked to run (as the sweep's paced gateway wraps it). */
function recording(gateway: AsanaGateway): { gateway: AsanaGateway; operations: AsanaOperation[] } {
  const operations: AsanaOperation[] = [];
  const wrapped = Object.create(gateway) as AsanaGateway;
  wrapped.call = (operation, fn) => {
    operations.push(operation);
    return gateway.call(operation, fn);
  };
  return { gateway: wrapped, operations };
}

describe('AsanaDirectory', () => {
  let asana: FakeAsanaServer;
  let gateway: AsanaGateway;
  let directory: AsanaDirectory;

  beforeEach(async () => {
    asana = await FakeAsanaServer.start({ token: 'pat' });
    asana.addWorkspace({ gid: WS, name: 'Acme', is_organization: true });
    for (let i = 0; i < 250; i++) {
      asana.addUser({
        gid: String(1300000000000000 + i),
        name: `Person ${i}`,
        email: `Person${i}@Example.com`,
        workspaces: [WS],
      });
    }
    gateway = new Gateway({
      accessToken: 'pat',
      baseUrl: asana.basePath,
      perMinute: 1500,
      logger,
      retryPolicy: rapidRetryPolicy,
    });
    directory = new AsanaDirectory(gateway, logger);
  });

  afterEach(() => asana.close());

  describe('usersByEmail', () => {
    it('reads the workspace users 100 a page with emails, as background work, keyed by lower-cased email', async () => {
      const { gateway: via, operations } = recording(gateway);

      const users = await directory.usersByEmail(WS, { gateway: via });

      expect(users.size).toBe(250);
      expect(users.get('person7@example.com')).toEqual({
        gid: '1300000000000007',
        name: 'Person 7',
        email: 'Person7@Example.com',
      });
      const pages = asana.requests.filter((r) => r.path === '/users');
      expect(pages).toHaveLength(3);
      for (const page of pages) {
        expect(page.query).toMatchObject({ workspace: WS, limit: '100' });
        expect(page.query.opt_fields.split(',')).toContain('email');
      }
      expect(operations).toHaveLength(3);
      expect(operations.every((o) => o.priority === 'background' && o.kind === 'read')).toBe(true);
    });

    it('shares one load between concurrent callers and serves later callers from memory', async () => {
      const [a, b, c] = await Promise.all([
        directory.usersByEmail(WS),
        directory.usersByEmail(WS),
        directory.usersByEmail(WS),
      ]);
      await directory.usersByEmail(WS);

      expect(a).toBe(b);
      expect(b).toBe(c);
      expect(asana.count('GET', '/users')).toBe(3);
    });

    it('leaves out users whose email Asana does not show', async () => {
      asana.addUser({ gid: '1400000000000001', name: 'No Email', email: '', workspaces: [WS] });

      const users = await directory.usersByEmail(WS);

      expect(users.size).toBe(250);
      expect([...users.values()].some((u) => u.gid === '1400000000000001')).toBe(false);
    });

    it('remembers a failed load briefly, so the next caller hears so without a request', async () => {
      asana.fail({ path: '/users', status: 403 });

      await expect(directory.usersByEmail(WS)).rejects.toMatchObject({ status: 403 });
      const requests = asana.requests.length;
      await expect(directory.usersByEmail(WS)).rejects.toMatchObject({ status: 403 });

      expect(asana.requests.length).toBe(requests);
    });
  });

  describe('userByEmail', () => {
    it('answers from a loaded user list without a request, whatever the case of the email', async () => {
      await directory.usersByEmail(WS);
      const before = asana.requests.length;

      const user = await directory.userByEmail(WS, 'PERSON42@example.COM');

      expect(user?.gid).toBe('1300000000000042');
      expect(asana.requests.length).toBe(before);
    });

    it('asks Asana about an email the loaded list lacks', async () => {
      await directory.usersByEmail(WS);
      asana.addUser({
        gid: '1400000000000002',
        name: 'Newcomer',
        email: 'new@example.com',
        workspaces: [WS],
      });

      const user = await directory.userByEmail(WS, 'new@example.com');

      expect(user?.gid).toBe('1400000000000002');
      expect(asana.count('GET', /^\/workspaces\/[^/]+\/users\//)).toBe(1);
    });

    it('sends its request through the gateway it is given', async () => {
      const { gateway: via, operations } = recording(gateway);

      await directory.userByEmail(WS, 'person1@example.com', { gateway: via });

      expect(operations.map((o) => o.name)).toEqual(['get user by email']);
    });
  });
});
