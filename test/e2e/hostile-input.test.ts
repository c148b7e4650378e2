import { A_REQ, Harness, P_WEB, SECRETS, W, eventually, startHarness } from '../helpers/bridge-harness';

/** What a new user found by trying to break the bridge, kept as tests. */
describe('hostile and unlucky input', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      // A create that lands after our write timeout must be found, not sent again.
      asanaTimeouts: { writeMs: 300, reconcileDelaysMs: [0, 200, 400, 800] },
      seed: (asana, slack) => {
        asana.addProject({ gid: '1200000000000099', name: `Long ${'n'.repeat(3990)}`, workspace: W });
        asana.addTask({
          gid: '1500000000000001',
          name: '<!channel> deploy now <@U_OTHER>',
          workspace: W,
          assignee: A_REQ,
        });
        slack.addUser({
          id: 'U_GONE',
          name: 'gone',
          display_name: 'Gone',
          email: 'other@example.com',
          deleted: true,
        });
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  async function reply(text: string, fields: Record<string, string> = {}) {
    const before = h.slack.responses().length;
    const ack = await h.driver.command({ text, ...fields });
    if (typeof ack.body === 'object' && ack.body.text) return ack.body;
    await eventually(() => h.slack.responses().length > before, 10_000);
    return h.slack.responses()[before].body;
  }

  it('finds a create that Asana finishes after the write timeout, so there is one task', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', delayMs: 600 });

    const body = await reply('create Landed late');

    expect(body.text).toContain('Landed late');
    await new Promise((r) => setTimeout(r, 700));
    expect(h.asana.tasks().filter((t) => t.name === 'Landed late')).toHaveLength(1);
  });

  it('reports success even when the project name is longer than a Slack section', async () => {
    const body = await reply(`create Long project task in Long ${'n'.repeat(3990)}`);

    expect(body.text).toContain('Long project task');
    expect(h.asana.tasks().filter((t) => t.name === 'Long project task')).toHaveLength(1);
    expect(JSON.stringify(body.blocks).length).toBeLessThan(12_000);
  });

  it('answers an unknown project made of entities, within Slack’s limits', async () => {
    const body = await reply(`create Entity storm in ${'&amp;'.repeat(1500)}`);

    expect(body.text).toMatch(/couldn't find a project/);
    for (const block of body.blocks) expect(block.text.text.length).toBeLessThanOrEqual(3000);
  });

  it('says a mentioned Slack user cannot be found, instead of a generic error', async () => {
    const body = await reply('create Nobody task for <@U0NOPE3>');

    expect(body.text).toMatch(/can't find that Slack user/);
  });

  it('keeps a project offered after a 403 that is not about the project', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', status: 403, message: 'assignee: Forbidden' });
    await reply('create Forbidden once in Web App');

    await reply('create Allowed after in Web App');

    expect(h.asana.tasks().find((t) => t.name === 'Allowed after')!.projects).toEqual([P_WEB]);
  });

  it('removes control characters and direction overrides from names', async () => {
    await reply('create A\u0007B\u001bC \u202Egnp.exe');

    expect(h.asana.tasks().map((t) => t.name)).toContain('ABC gnp.exe');
  });

  it('refuses a name longer than 1,024 characters and creates nothing', async () => {
    const before = h.asana.tasks().length;

    const body = await reply(`create ${'x'.repeat(5000)}`);

    expect(body.text).toMatch(/5000 characters long/);
    expect(h.asana.tasks().length).toBe(before);
  });

  it('passes on Asana’s error phrase when a create keeps failing', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', status: 500, phrase: 'six sad squid snuggle', times: 2 });

    const body = await reply('create Failing twice');

    expect(body.text).toContain('six sad squid snuggle');
    expect(h.asana.tasks().filter((t) => t.name === 'Failing twice')).toHaveLength(0);
  });

  it('refuses a due date absurdly far away', async () => {
    const body = await reply('create Far away due in 999999 days');

    expect(body.text).toMatch(/more than 10 years away/);
  });

  it('says a long Retry-After in words', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', status: 429, retryAfterSeconds: 3600, times: 5 });

    const body = await reply('create Rate limited for an hour');

    expect(body.text).toMatch(/about an hour/);
  });

  it('answers a forged submission without state with errors, not a timeout', async () => {
    const ack = await h.driver.interaction({
      type: 'view_submission',
      team: { id: h.slack.teamId, domain: 'example' },
      user: { id: 'U_REQ', username: 'req', name: 'req', team_id: h.slack.teamId },
      view: { id: 'V_FORGED', callback_id: 'create_task_modal', private_metadata: 'garbage', hash: 'h' },
    });

    expect(ack.status).toBe(200);
    expect(ack.body.response_action).toBe('errors');
  });

  it('never lets a search text or an Asana task name ping anyone, in blocks or notification text', async () => {
    const found = await reply('find &lt;!channel&gt;');
    const mine = await reply('mine');
    const shown = await reply('show 1500000000000001');

    // What Slack renders: the notification text and every text object (button values are data, not text).
    const rendered = (body: { text: string; blocks: unknown[] }) => {
      const texts: string[] = [body.text];
      JSON.stringify(body.blocks, (key, value) => {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        return value;
      });
      return texts.join('\n');
    };
    for (const body of [found, mine, shown]) expect(rendered(body)).not.toMatch(/<!channel>|<!here>|<@U/);
  });

  it('refuses to assign to a deactivated account or to two people, and changes nothing', async () => {
    expect((await reply('assign 1500000000000001 <@U_GONE|gone>')).text).toMatch(/deactivated/);
    expect((await reply('assign 1500000000000001 <@U_OTHER|o> <@U_REQ|r>')).text).toMatch(/one assignee/);
    expect(h.asana.task('1500000000000001')!.assignee).toBe(A_REQ);
  });

  it('refuses extra words after a task instead of ignoring them', async () => {
    expect((await reply('done 1500000000000001 1500000000000002')).text).toMatch(/One task at a time/);
    expect(h.asana.task('1500000000000001')!.completed).toBe(false);
  });

  it('keeps Slack limits with a 4,000-character project filter', async () => {
    const body = await reply(`projects ${'q'.repeat(4000)}`);

    expect(body.text).toMatch(/No project matches/);
  });

  it('shows the year of a due date that is not this year', async () => {
    const body = await reply('due 1500000000000001 2030-01-01');

    expect(body.text).toContain('2030');
  });

  it('leaks nothing and breaks no Slack limit', () => {
    expect(h.slack.errors.map((e) => e.method)).toEqual([]);
    for (const secret of Object.values(SECRETS)) expect(h.logs.join('')).not.toContain(secret);
  });
});
