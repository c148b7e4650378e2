import {
  ASSIGNEE_BLOCK,
  ASSIGNEE_SELECT_ACTION,
  CREATE_TASK_SHORTCUT,
  DUE_BLOCK,
  DUE_DATE_ACTION,
  NOTES_BLOCK,
  PROJECT_BLOCK,
  PROJECT_SELECT_ACTION,
  TASK_NAME_ACTION,
  TASK_NAME_BLOCK,
  THREAD_REPLY_ACTION,
  THREAD_REPLY_BLOCK,
} from '../../src/ids';
import { A_OTHER, Harness, P_WEB, P_ZETA, W, eventually, startHarness } from '../helpers/bridge-harness';
import { externalSelection, openShortcutModal } from '../helpers/modal-flow';

const THREAD_TS = '1700000000.000100';
const REPLY_TS = '1700000100.000200';
const PERMALINK = `https://example.slack.com/archives/C_GEN/p1700000100000200?thread_ts=${THREAD_TS}&cid=C_GEN`;

/** Runs the shortcut on `message` and returns the modal the app opened. */
const openModal = (h: Harness, message: Record<string, unknown>, userId = 'U_REQ') =>
  openShortcutModal(h, CREATE_TASK_SHORTCUT, message, { userId });

const selectedProject = (gid: string, name: string) => externalSelection(gid, name);

/** The view the app put in place of "Creating…" once the work was done (a result or the form again). */
async function finalView(h: Harness, viewId: string) {
  const updates = () => h.slack.callsTo('views.update').filter((c) => c.args.view_id === viewId);
  await eventually(() => updates().length > 0, 10_000);
  return updates()[updates().length - 1].args.view;
}

describe('message shortcut "Create Asana task" over HTTP', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    // The bridge preloads projects at start-up; let that finish so it is not mistaken for the shortcut's work.
    await eventually(() => h.bridge.directory.hasProjects(W));
    h.slack.setPermalink('C_GEN', REPLY_TS, PERMALINK);
  });
  afterAll(async () => {
    await h.close();
  });

  it('opens a prefilled modal at once, before any Asana call', async () => {
    const asanaBefore = h.asana.requests.length;
    const { ack, call, view } = await openModal(h, {
      ts: REPLY_TS,
      thread_ts: THREAD_TS,
      user: 'U_OTHER',
      text: 'Rotate the &lt;staging&gt; keys\nThey expire Friday, see <@U_REQ>',
    });

    expect(ack.status).toBe(200);
    expect(call.response.ok).toBe(true);
    // The trigger was exchanged before the bridge asked Asana for anything (it may warm the cache after).
    const firstAsanaCall = h.asana.requests.slice(asanaBefore)[0];
    expect(firstAsanaCall === undefined || firstAsanaCall.at >= call.at).toBe(true);
    const blocks = view.blocks as Array<Record<string, any>>;
    const input = (id: string) => blocks.find((b) => b.block_id === id);
    expect(blocks.every((b) => b.type === 'input')).toBe(true);
    expect(input(TASK_NAME_BLOCK)!.element.initial_value).toBe('Rotate the <staging> keys');
    expect(input(NOTES_BLOCK)!.element.initial_value).toBe(
      'Rotate the <staging> keys\nThey expire Friday, see @Req User',
    );
    expect(input(PROJECT_BLOCK)!.element.type).toBe('external_select');
    expect(input(ASSIGNEE_BLOCK)!.element.type).toBe('users_select');
    expect(input(DUE_BLOCK)!.element.type).toBe('datepicker');
    expect(input(THREAD_REPLY_BLOCK)!.element.initial_options).toHaveLength(1);
    expect(h.slack.errors).toEqual([]);
  });

  it('creates the task with the permalink and replies in the thread', async () => {
    const { view } = await openModal(h, {
      ts: REPLY_TS,
      thread_ts: THREAD_TS,
      user: 'U_OTHER',
      text: 'Renew the TLS cert',
    });
    const posts = h.slack.callsTo('chat.postMessage').length;

    const ack = await h.driver.viewSubmission({
      view,
      values: {
        [PROJECT_BLOCK]: { [PROJECT_SELECT_ACTION]: selectedProject(P_WEB, 'Web App') },
        [ASSIGNEE_BLOCK]: { [ASSIGNEE_SELECT_ACTION]: { type: 'users_select', selected_user: 'U_OTHER' } },
        [DUE_BLOCK]: { [DUE_DATE_ACTION]: { type: 'datepicker', selected_date: '2031-03-04' } },
      },
    });

    expect(ack.body.response_action).toBe('update');
    const done = await finalView(h, view.id);
    const task = h.asana.tasks().find((t) => t.name === 'Renew the TLS cert')!;
    expect(task.projects).toEqual([P_WEB]);
    expect(task.assignee).toBe(A_OTHER);
    expect(task.due_on).toBe('2031-03-04');
    expect(task.notes).toContain('Renew the TLS cert');
    expect(task.notes).toContain(PERMALINK);
    expect(task.notes).toContain('Message by Other User, added by Req User');
    expect(JSON.stringify(done.blocks)).toContain(task.gid);

    await eventually(() => h.slack.callsTo('chat.postMessage').length > posts);
    const reply = h.slack.callsTo('chat.postMessage')[posts];
    expect(reply.args.channel).toBe('C_GEN');
    expect(reply.args.thread_ts).toBe(THREAD_TS);
    expect(reply.args.text).toContain(task.gid);
  });

  it('keeps the message’s formatting and mentions as Asana rich text when the notes are left as prefilled', async () => {
    const { view } = await openModal(h, {
      ts: '1700000150.000100',
      user: 'U_REQ',
      text: '*Deploy* checklist for <@U_OTHER|other>\n• drain &amp; restart',
    });

    await h.driver.viewSubmission({ view, values: {} });
    await finalView(h, view.id);

    const task = h.asana.tasks().find((t) => t.name.includes('checklist for @Other User'))!;
    expect(task.html_notes).toContain('<strong>Deploy</strong>');
    expect(task.html_notes).toContain(`data-asana-gid="${A_OTHER}"`);
    expect(task.html_notes).toContain('drain &amp; restart');
  });

  it('falls back to plain notes when Asana refuses the rich text', async () => {
    const { view } = await openModal(h, {
      ts: '1700000160.000100',
      user: 'U_REQ',
      text: '_Refused_ rich text',
    });
    h.asana.fail({ method: 'POST', path: '/tasks', status: 400, message: 'html_notes: xml_parsing_error' });

    await h.driver.viewSubmission({ view, values: {} });
    await finalView(h, view.id);

    const task = h.asana.tasks().find((t) => t.name.includes('Refused_ rich text'))!;
    expect(task.notes).toContain('_Refused_ rich text');
    expect(task.html_notes).not.toContain('<em>');
  });

  it('handles a redelivered submission once and remembers which task came from the message', async () => {
    const { view } = await openModal(h, { ts: '1700000170.000100', user: 'U_REQ', text: 'Delivered twice' });

    await h.driver.viewSubmission({ view, values: {} });
    await h.driver.viewSubmission({ view, values: {} });
    await finalView(h, view.id);

    const tasks = h.asana.tasks().filter((t) => t.name === 'Delivered twice');
    expect(tasks).toHaveLength(1);
    const links = await h.bridge.store.tasksForMessage('C_GEN', '1700000170.000100');
    expect(links.map((l) => l.taskGid)).toEqual([tasks[0].gid]);
  });

  it('answers the project picker from every page of a large workspace', async () => {
    for (let i = 1; i <= 247; i++) {
      h.asana.addProject({
        gid: String(1250000000000000 + i),
        name: `Bulk ${String(i).padStart(3, '0')}`,
        workspace: W,
      });
    }
    h.bridge.directory.clear();
    const { view } = await openModal(h, { ts: '1700000200.000100', user: 'U_REQ', text: 'Picker check' });

    const zeta = await h.driver.blockSuggestion({
      action_id: PROJECT_SELECT_ACTION,
      block_id: PROJECT_BLOCK,
      value: 'zeta',
      view,
    });
    const third = await h.driver.blockSuggestion({
      action_id: PROJECT_SELECT_ACTION,
      block_id: PROJECT_BLOCK,
      value: 'Bulk 240',
      view,
    });

    expect(zeta.ms).toBeLessThan(3_000);
    expect(zeta.body.options.map((o: { value: string }) => o.value)).toContain(P_ZETA);
    await eventually(() => h.bridge.directory.hasProjects(W));
    const again = await h.driver.blockSuggestion({
      action_id: PROJECT_SELECT_ACTION,
      block_id: PROJECT_BLOCK,
      value: 'Bulk 240',
      view,
    });
    const values = [...third.body.options, ...again.body.options].map((o: { value: string }) => o.value);
    expect(values).toContain(String(1250000000000240));
    expect(again.body.options.length).toBeLessThanOrEqual(100);
  });

  it('shows errors on the offending inputs and creates nothing', async () => {
    const { view } = await openModal(h, { ts: '1700000300.000100', user: 'U_REQ', text: 'Will be blanked' });
    const posts = h.asana.count('POST', '/tasks');

    const ack = await h.driver.viewSubmission({
      view,
      skipClientValidation: true,
      values: {
        [TASK_NAME_BLOCK]: { [TASK_NAME_ACTION]: '   ' },
        [DUE_BLOCK]: { [DUE_DATE_ACTION]: { type: 'datepicker', selected_date: '2020-01-01' } },
      },
    });

    expect(ack.body.response_action).toBe('errors');
    expect(Object.keys(ack.body.errors).sort()).toEqual([DUE_BLOCK, TASK_NAME_BLOCK].sort());
    expect(h.asana.count('POST', '/tasks')).toBe(posts);
  });

  it('names a task from a message without text', async () => {
    const { view } = await openModal(h, {
      ts: '1700000400.000100',
      user: 'U_OTHER',
      text: '',
      files: [{ id: 'F1', name: 'q3-report.pdf', title: 'Q3 report' }],
    });

    const name = view.blocks.find((b: { block_id: string }) => b.block_id === TASK_NAME_BLOCK).element
      .initial_value;
    expect(name).toContain('Q3 report');
  });

  it('keeps a 12,000-character message whole in Asana while the modal stays within limits', async () => {
    const long = `Pasted log\n${'x'.repeat(11_989)}`;
    const errorsBefore = h.slack.errors.length;
    const { view } = await openModal(h, { ts: '1700000500.000100', user: 'U_REQ', text: long });

    expect(h.slack.errors.length).toBe(errorsBefore);
    const notes = view.blocks.find((b: { block_id: string }) => b.block_id === NOTES_BLOCK).element;
    expect(notes.initial_value.length).toBeLessThanOrEqual(3000);

    await h.driver.viewSubmission({ view, values: {} });
    await finalView(h, view.id);
    const task = h.asana.tasks().find((t) => t.name === 'Pasted log')!;
    expect(task.notes.startsWith(long)).toBe(true);
  });

  it('tells the person privately when the bot may not post in the thread', async () => {
    h.slack.denyPosting('C_SECRET');
    h.slack.addChannel({ id: 'C_SECRET', name: 'secret', is_private: true, is_member: false });
    const opensBefore = h.slack.callsTo('views.open').length;
    await h.driver.messageShortcut({
      callback_id: CREATE_TASK_SHORTCUT,
      message: { ts: '1700000600.000100', user: 'U_REQ', text: 'Private channel task' },
      channel_id: 'C_SECRET',
    });
    await eventually(() => h.slack.callsTo('views.open').length > opensBefore);
    const view = h.slack.callsTo('views.open')[opensBefore].response.view;
    const ephemerals = h.slack.callsTo('chat.postEphemeral').length;

    await h.driver.viewSubmission({ view, values: {} });

    await eventually(() => h.slack.callsTo('chat.postEphemeral').length > ephemerals);
    const notice = h.slack.callsTo('chat.postEphemeral')[ephemerals];
    expect(notice.args.user).toBe('U_REQ');
    expect(notice.args.text).toContain(h.asana.tasks().find((t) => t.name === 'Private channel task')!.gid);
  });

  it('creates the task unassigned and says why when the assignee has no Asana account', async () => {
    const { view } = await openModal(h, {
      ts: '1700000700.000100',
      user: 'U_REQ',
      text: 'Unmappable assignee',
    });

    await h.driver.viewSubmission({
      view,
      values: {
        [ASSIGNEE_BLOCK]: { [ASSIGNEE_SELECT_ACTION]: { type: 'users_select', selected_user: 'U_NOMAP' } },
      },
    });

    const done = await finalView(h, view.id);
    expect(h.asana.tasks().find((t) => t.name === 'Unmappable assignee')!.assignee).toBeNull();
    expect(JSON.stringify(done.blocks)).toMatch(/No Map has no Asana account/);
  });

  it('brings the form back when the picked project was deleted, and stops offering it', async () => {
    const { view } = await openModal(h, {
      ts: '1700000800.000100',
      user: 'U_REQ',
      text: 'Deleted project task',
    });
    await eventually(() => h.bridge.directory.hasProjects(W));
    h.asana.deleteProject(P_ZETA);
    const posts = h.asana.tasks().length;

    await h.driver.viewSubmission({
      view,
      values: {
        [PROJECT_BLOCK]: { [PROJECT_SELECT_ACTION]: selectedProject(P_ZETA, 'Zeta Launch') },
        [THREAD_REPLY_BLOCK]: { [THREAD_REPLY_ACTION]: { type: 'checkboxes', selected_options: [] } },
      },
    });

    const shown = await finalView(h, view.id);
    expect(JSON.stringify(shown.blocks)).toMatch(/no longer available/);
    expect(shown.blocks.some((b: { block_id?: string }) => b.block_id === TASK_NAME_BLOCK)).toBe(true);
    expect(h.asana.tasks().length).toBe(posts);
    const options = await h.driver.blockSuggestion({
      action_id: PROJECT_SELECT_ACTION,
      block_id: PROJECT_BLOCK,
      value: 'zeta',
      view,
    });
    expect(options.body.options.map((o: { value: string }) => o.value)).not.toContain(P_ZETA);
  });

  it('refuses a Slack Connect guest inside the modal', async () => {
    const { view } = await openModal(
      h,
      { ts: '1700000900.000100', user: 'U_REQ', text: 'Guest attempt' },
      'U_EXT',
    );

    const shown = await finalView(h, view.id);
    expect(JSON.stringify(shown.blocks)).toMatch(/outside this organisation/);
  });

  it('records no refused Slack call', () => {
    expect(h.slack.errors.map((e) => e.method)).toEqual([]);
  });
});
