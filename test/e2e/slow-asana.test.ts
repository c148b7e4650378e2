import { Harness, eventually, startHarness } from '../helpers/bridge-harness';

/** Asana that takes a write and never answers: the bridge must find the task rather than create a second. */
describe('a create whose reply never comes', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ asanaTimeouts: { writeMs: 300 } });
  });
  afterAll(async () => {
    await h.close();
  });

  async function create(text: string) {
    const before = h.slack.responses().length;
    await h.driver.command({ text });
    await eventually(() => h.slack.responses().length > before, 15_000);
    return h.slack.responses()[before].body;
  }

  it('reports the task that Asana created despite the timeout, once', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', hang: true, applyThenFail: true });

    const body = await create('create Hung write in Web App');

    expect(body.text).toContain('Hung write');
    expect(h.asana.tasks().filter((t) => t.name === 'Hung write')).toHaveLength(1);
  });

  it('finds a lost create without a project by name', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', hang: true, applyThenFail: true });

    const body = await create('create Hung write without project');

    expect(body.text).toContain('Hung write without project');
    expect(h.asana.tasks().filter((t) => t.name === 'Hung write without project')).toHaveLength(1);
  });

  it('tries again when the write did not land, and still creates one task', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', hang: true });

    const body = await create('create Dropped write in Docs');

    expect(body.text).toContain('Dropped write');
    expect(h.asana.tasks().filter((t) => t.name === 'Dropped write')).toHaveLength(1);
  });

  it('says so plainly when Asana never answers', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', hang: true, times: 2 });
    const before = h.asana.tasks().length;

    const body = await create('create Never answered');

    expect(body.text).toMatch(/didn't answer in time/);
    expect(body.text).not.toMatch(/at \w+ \(/); // no stack trace
    expect(h.asana.tasks().length).toBe(before);
  });
});
