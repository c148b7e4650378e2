import {
  ADD_TO_TASK_BLOCK,
  ADD_TO_TASK_SELECT_ACTION,
  ADD_TO_TASK_SHORTCUT,
  THREAD_REPLY_ACTION,
  THREAD_REPLY_BLOCK,
} from '../../src/ids';
import type { Task } from '../fakes/fake-asana-server';
import { A_REQ, Harness, SECRETS, W, eventually, startHarness } from '../helpers/bridge-harness';
import { externalSelection, openShortcutModal } from '../helpers/modal-flow';

const THREAD_TS = '1700000000.000100';
const REPLY_TS = '1700000100.000200';
const PERMALINK = `https://example.slack.com/archives/C_GEN/p1700000100000200?thread_ts=${THREAD_TS}&cid=C_GEN`;

/** Runs the shortcut on `message` and returns the modal the app opened. */
const openModal = (
  h: Harness,
  message: Record<string, unknown>,
  options: { userId?: string; channelId?: string } = {},
) => openShortcutModal(h, ADD_TO_TASK_SHORTCUT, message, options);

function pick(gid: string, name: string) {
  return {
    [ADD_TO_TASK_BLOCK]: { [ADD_TO_TASK_SELECT_ACTION]: externalSelection(gid, name) },
  };
}

const updatesOf = (h: Harness, viewId: string) =>
  h.slack.callsTo('views.update').filter((c) => c.args.view_id === viewId);

/** Submits the modal and returns the view the app put in place of "Adding…" (a result or the form again). */
async function submit(h: Harness, view: any, values: Record<string, Record<string, any>>) {
  const before = updatesOf(h, view.id).length;
  const ack = await h.driver.viewSubmission({ view, values });
  if (ack.body?.response_action !== 'update') return { ack, shown: undefined };
  await eventually(() => updatesOf(h, view.id).length > before, 10_000);
  const updates = updatesOf(h, view.id);
  return { ack, shown: updates[updates.length - 1].args.view };
}

function addTask(h: Harness, name: string, extra: Partial<Task> = {}): Task {
  return h.asana.addTask({ name, workspace: W, ...extra });
}

describe('message shortcut "Add to Asana task" over HTTP', () => {
  let h: Harness;
  let cert: Task;

  beforeAll(async () => {
    h = await startHarness();
    // The bridge preloads projects at start-up; let that finish so it is not mistaken for the shortcut's work.
    await eventually(() => h.bridge.directory.hasProjects(W));
    h.slack.setPermalink('C_GEN', REPLY_TS, PERMALINK);
    cert = addTask(h, 'Renew the TLS cert');
  });
  afterAll(async () => {
    await h.close();
  });

  it('opens the task picker at once, before any Asana call', async () => {
    const asanaBefore = h.asana.requests.length;
    const { ack, call, view } = await openModal(h, {
      ts: '1700000050.000100',
      user: 'U_OTHER',
      text: 'The cert expires Friday',
    });

    expect(ack.status).toBe(200);
    expect(call.response.ok).toBe(true);
    const firstAsanaCall = h.asana.requests.slice(asanaBefore)[0];
    expect(firstAsanaCall === undefined || firstAsanaCall.at >= call.at).toBe(true);
    const blocks = view.blocks as Array<Record<string, any>>;
    const picker = blocks.find((b) => b.block_id === ADD_TO_TASK_BLOCK)!;
    expect(picker.type).toBe('input');
    expect(picker.element.type).toBe('external_select');
    expect(picker.element.action_id).toBe(ADD_TO_TASK_SELECT_ACTION);
    expect(blocks.find((b) => b.block_id === THREAD_REPLY_BLOCK)!.element.initial_options).toHaveLength(1);
    expect(JSON.stringify(blocks)).toContain('The cert expires Friday');
  });

  it('finds tasks by name, at most 100 options of at most 75 characters, emoji kept whole', async () => {
    for (let i = 1; i <= 130; i++) addTask(h, `Bulk follow-up ${String(i).padStart(3, '0')}`);
    const emojiName = `${'Ship the release build now '.repeat(2)}😀 then 👩‍💻 review 🇩🇪 ${'x'.repeat(40)}`;
    const emoji = addTask(h, emojiName);
    const { view } = await openModal(h, { ts: '1700000060.000100', user: 'U_REQ', text: 'Picker check' });
    const suggest = (value: string) =>
      h.driver.blockSuggestion({
        action_id: ADD_TO_TASK_SELECT_ACTION,
        block_id: ADD_TO_TASK_BLOCK,
        value,
        view,
      });

    const bulk = await suggest('bulk follow');
    const renew = await suggest('renew');
    const ship = await suggest('Ship the release');

    expect(bulk.ms).toBeLessThan(3_000);
    expect(bulk.body.options).toHaveLength(100);
    for (const option of [...bulk.body.options, ...ship.body.options]) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.text.text).not.toMatch(/\p{Cs}/u);
      expect(option.value.length).toBeLessThanOrEqual(150);
    }
    expect(renew.body.options.map((o: { value: string }) => o.value)).toEqual([cert.gid]);
    const shown = ship.body.options.find((o: { value: string }) => o.value === emoji.gid).text.text;
    expect(shown.endsWith('…')).toBe(true);
    expect(emojiName.startsWith(shown.slice(0, -1))).toBe(true);
  });

  it('answers the picker within 3 s even when Asana is slow', async () => {
    const { view } = await openModal(h, { ts: '1700000070.000100', user: 'U_REQ', text: 'Slow picker' });
    h.asana.fail({ method: 'GET', path: /typeahead/, delayMs: 4_000 });

    const slow = await h.driver.blockSuggestion({
      action_id: ADD_TO_TASK_SELECT_ACTION,
      block_id: ADD_TO_TASK_BLOCK,
      value: 'renew',
      view,
    });

    expect(slow.ms).toBeLessThan(3_000);
    expect(slow.body.options).toEqual([]);
  });

  it('adds the message as one comment with author, time, permalink and mentions, and replies in the thread', async () => {
    const { view } = await openModal(h, {
      ts: REPLY_TS,
      thread_ts: THREAD_TS,
      user: 'U_OTHER',
      text: 'Cert renewed for R&amp;D, see &amp;lt;notes&amp;gt; cc <@U_REQ> <@U_NOMAP> <!here>',
    });
    const posts = h.slack.callsTo('chat.postMessage').length;
    const permalinks = h.slack.callsTo('chat.getPermalink').length;
    const storiesBefore = h.asana.stories(cert.gid).length;

    const { ack, shown } = await submit(h, view, pick(cert.gid, cert.name));

    expect(ack.body.response_action).toBe('update');
    expect(JSON.stringify(ack.body.view)).toContain('Adding');
    expect(JSON.stringify(shown.blocks)).toContain(cert.gid);
    const stories = h.asana.stories(cert.gid);
    expect(stories).toHaveLength(storiesBefore + 1);
    const story = stories[stories.length - 1];
    // Requester U_REQ is in New York; 1700000100 is 22:15 UTC.
    expect(story.text).toContain('Other User wrote in Slack on Tue, Nov 14, 2023 at 5:15 PM EST:');
    expect(story.text).toContain('Cert renewed for R&D, see &lt;notes&gt; cc');
    expect(story.text).toContain('@No Map');
    expect(story.text).toContain('@here');
    expect(story.text).not.toContain('<!here>');
    expect(story.text).toContain(PERMALINK);
    expect(story.text).toContain('Added by Req User');
    expect(story.html_text).toContain(`<a data-asana-gid="${A_REQ}"/>`);

    const permalinkCalls = h.slack.callsTo('chat.getPermalink').slice(permalinks);
    expect(permalinkCalls.map((c) => [c.args.channel, c.args.message_ts])).toEqual([['C_GEN', REPLY_TS]]);

    await eventually(() => h.slack.callsTo('chat.postMessage').length > posts);
    const reply = h.slack.callsTo('chat.postMessage')[posts];
    expect(reply.args.channel).toBe('C_GEN');
    expect(reply.args.thread_ts).toBe(THREAD_TS);
    expect(reply.args.text).toContain(cert.gid);
    expect((await h.bridge.store.tasksForMessage('C_GEN', REPLY_TS)).map((l) => l.taskGid)).toEqual([
      cert.gid,
    ]);
  });

  it('preselects the task the message was last added to, and skips the thread reply when asked', async () => {
    const { view } = await openModal(h, {
      ts: REPLY_TS,
      thread_ts: THREAD_TS,
      user: 'U_OTHER',
      text: 'Again',
    });
    await eventually(() => updatesOf(h, view.id).length > 0);
    const preselected = updatesOf(h, view.id)[0];
    expect(preselected.args.hash).toBe(view.hash);
    const picker = preselected.args.view.blocks.find(
      (b: { block_id?: string }) => b.block_id === ADD_TO_TASK_BLOCK,
    );
    expect(picker.element.initial_option.value).toBe(cert.gid);
    const posts = h.slack.callsTo('chat.postMessage').length;
    const storiesBefore = h.asana.stories(cert.gid).length;

    const { shown } = await submit(h, preselected.response.view, {
      [THREAD_REPLY_BLOCK]: { [THREAD_REPLY_ACTION]: { type: 'checkboxes', selected_options: [] } },
    });

    expect(JSON.stringify(shown.blocks)).toContain(cert.gid);
    expect(h.asana.stories(cert.gid)).toHaveLength(storiesBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.slack.callsTo('chat.postMessage').length).toBe(posts);
  });

  it('shows an error on the picker when no task was picked, and writes nothing', async () => {
    const { view } = await openModal(h, { ts: '1700000300.000100', user: 'U_REQ', text: 'No pick' });
    const writes = h.asana.requests.filter((r) => r.method !== 'GET').length;

    const ack = await h.driver.viewSubmission({ view, values: {}, skipClientValidation: true });

    expect(ack.body.response_action).toBe('errors');
    expect(Object.keys(ack.body.errors)).toEqual([ADD_TO_TASK_BLOCK]);
    expect(h.asana.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
  });

  it('brings the form back with a clear message when the task was deleted', async () => {
    const doomed = addTask(h, 'Soon deleted');
    const { view } = await openModal(h, { ts: '1700000400.000100', user: 'U_REQ', text: 'Too late' });
    const deleted = await fetch(`${h.asana.basePath}/tasks/${doomed.gid}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRETS.asanaToken}` },
    });
    expect(deleted.status).toBe(200);

    const { shown } = await submit(h, view, {
      ...pick(doomed.gid, doomed.name),
      [THREAD_REPLY_BLOCK]: { [THREAD_REPLY_ACTION]: { type: 'checkboxes', selected_options: [] } },
    });

    expect(JSON.stringify(shown.blocks)).toMatch(/no longer available in Asana/);
    const blocks = shown.blocks as Array<Record<string, any>>;
    expect(blocks.find((b) => b.block_id === ADD_TO_TASK_BLOCK)!.element.initial_option).toBeUndefined();
    expect(blocks.find((b) => b.block_id === THREAD_REPLY_BLOCK)!.element.initial_options).toBeUndefined();
    expect(shown.submit).toBeDefined();
    expect(h.asana.count('POST', `/tasks/${doomed.gid}/stories`)).toBe(0);
  });

  it('tells the person privately when the bot may not post in the thread', async () => {
    h.slack.addChannel({ id: 'C_HIDDEN', name: 'hidden', is_private: true, is_member: false });
    h.slack.denyPosting('C_HIDDEN');
    const { view } = await openModal(
      h,
      { ts: '1700000500.000100', user: 'U_REQ', text: 'Private channel note' },
      { channelId: 'C_HIDDEN' },
    );
    const posts = h.slack.callsTo('chat.postMessage').length;
    const ephemerals = h.slack.callsTo('chat.postEphemeral').length;

    await submit(h, view, pick(cert.gid, cert.name));

    const delivered = () =>
      [
        ...h.slack.callsTo('chat.postEphemeral').slice(ephemerals),
        ...h.slack.callsTo('chat.postMessage').slice(posts),
      ].filter((c) => c.response.ok);
    await eventually(() => delivered().length > 0);
    const notice = delivered()[0];
    expect(notice.args.user ?? notice.args.channel).toBe('U_REQ');
    expect(notice.args.text).toContain(cert.gid);
    expect(h.asana.stories(cert.gid).some((s) => s.text.includes('Private channel note'))).toBe(true);
  });

  it('refuses a Slack Connect guest inside the modal and in the picker', async () => {
    const { view } = await openModal(
      h,
      { ts: '1700000600.000100', user: 'U_REQ', text: 'Guest try' },
      { userId: 'U_EXT' },
    );
    await eventually(() => updatesOf(h, view.id).length > 0);
    expect(JSON.stringify(updatesOf(h, view.id)[0].args.view.blocks)).toMatch(/outside this organisation/);
    const typeaheads = h.asana.count('GET', /typeahead/);

    const options = await h.driver.blockSuggestion({
      action_id: ADD_TO_TASK_SELECT_ACTION,
      block_id: ADD_TO_TASK_BLOCK,
      value: 'renew',
      view,
      user_id: 'U_EXT',
    });

    expect(options.body.options).toEqual([]);
    expect(h.asana.count('GET', /typeahead/)).toBe(typeaheads);
  });

  it('adds the whole of a 12,000-character message while every Slack payload stays within limits', async () => {
    const long = `Pasted log\n${'x'.repeat(11_989)}`;
    const errorsBefore = h.slack.errors.length;
    const { view } = await openModal(h, { ts: '1700000700.000100', user: 'U_REQ', text: long });

    expect(view.private_metadata.length).toBeLessThanOrEqual(3000);
    await submit(h, view, pick(cert.gid, cert.name));

    const story = h.asana.stories(cert.gid).find((s) => s.text.includes('Pasted log'))!;
    expect(story.text).toContain(long);
    expect(h.slack.errors.length).toBe(errorsBefore);
  });

  it('records no refused Slack call', () => {
    expect(h.slack.errors.map((e) => e.method)).toEqual([]);
  });
});
