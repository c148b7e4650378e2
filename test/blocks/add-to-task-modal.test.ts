import {
  addToTaskModal,
  addToTaskStatusView,
  decodeAddToTaskMetadata,
  encodeAddToTaskMetadata,
  messagePreview,
  taskOption,
} from '../../src/blocks/add-to-task-modal';
import { ADD_TO_TASK_BLOCK, THREAD_REPLY_BLOCK } from '../../src/ids';
import type { Task } from '../../src/services/asana/types';

function task(overrides: Partial<Task> = {}): Task {
  return {
    gid: '1500000000000001',
    name: 'Renew the cert',
    notes: '',
    completed: false,
    dueOn: null,
    dueAt: null,
    assignee: null,
    projects: [],
    sections: [],
    permalinkUrl: 'https://app.asana.com/0/0/1500000000000001',
    ...overrides,
  };
}

const graphemes = (text: string) => [
  ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text),
];
const META = {
  channelId: 'C_GEN',
  messageTs: '1700000100.000200',
  threadTs: '1700000000.000100',
  text: 'hi',
};

describe('taskOption', () => {
  it('carries the gid as value and the name as text', () => {
    expect(taskOption(task())).toEqual({
      text: { type: 'plain_text', text: 'Renew the cert' },
      value: '1500000000000001',
    });
  });

  it('names the first project so tasks with the same name can be told apart', () => {
    expect(taskOption(task({ projects: [{ gid: 'p', name: 'Web App' }] })).text.text).toBe(
      'Renew the cert · Web App',
    );
  });

  it('keeps the text within 75 characters without splitting an emoji or a ZWJ sequence', () => {
    for (const name of [`${'a'.repeat(72)}😀😀😀`, `${'b'.repeat(60)}👩‍💻`.repeat(2), '🇩🇪'.repeat(60)]) {
      for (const projects of [[], [{ gid: 'p', name: `Project ${'z'.repeat(80)}` }]]) {
        const text = taskOption(task({ name, projects })).text.text;
        expect(text.length).toBeLessThanOrEqual(75);
        expect(text).not.toMatch(/\p{Cs}/u);
        const kept = text.split(' · ')[0].replace(/…$/, '');
        expect(name.startsWith(kept)).toBe(true);
        expect(graphemes(name).some((g) => g.index === kept.length) || kept.length === name.length).toBe(
          true,
        );
      }
    }
  });

  it('gives an untitled task a name and marks a completed one', () => {
    expect(taskOption(task({ name: '  ' })).text.text).toBe('Untitled task');
    expect(taskOption(task({ completed: true })).text.text).toBe('✓ Renew the cert');
  });
});

describe('addToTaskModal', () => {
  it('asks for a task in an input block with an external select, the thread reply on by default', () => {
    const view = addToTaskModal({ metadata: META });
    const blocks = view.blocks as Array<Record<string, any>>;
    const picker = blocks.find((b) => b.block_id === ADD_TO_TASK_BLOCK)!;

    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(picker.type).toBe('input');
    expect(picker.element.type).toBe('external_select');
    expect(picker.element.initial_option).toBeUndefined();
    expect(blocks.find((b) => b.block_id === THREAD_REPLY_BLOCK)!.element.initial_options).toHaveLength(1);
    expect(decodeAddToTaskMetadata(view.private_metadata)).toEqual(META);
  });

  it('preselects a task, and keeps the thread choice and shows a banner when the form comes back', () => {
    const view = addToTaskModal({
      metadata: META,
      initialTask: task(),
      banner: 'Gone <!here>',
      threadReply: false,
    });
    const blocks = view.blocks as Array<Record<string, any>>;

    expect(blocks[0].text.text).toBe(':warning: Gone &lt;!here&gt;');
    expect(blocks.find((b) => b.block_id === ADD_TO_TASK_BLOCK)!.element.initial_option.value).toBe(
      '1500000000000001',
    );
    expect(blocks.find((b) => b.block_id === THREAD_REPLY_BLOCK)!.element.initial_options).toBeUndefined();
  });

  it('shows the preview from the metadata, cut short', () => {
    const view = addToTaskModal({ metadata: { ...META, preview: 'x'.repeat(1000) } });
    const context = (view.blocks as Array<Record<string, any>>).find((b) => b.type === 'context')!;

    expect(context.elements[0].text.length).toBeLessThanOrEqual(280);
  });
});

describe('addToTaskStatusView', () => {
  it('has a Close button and no submit', () => {
    const view = addToTaskStatusView('Adding…');
    expect(view.submit).toBeUndefined();
    expect(view.close?.text).toBe('Close');
  });
});

describe('decodeAddToTaskMetadata', () => {
  it('refuses what the modal did not write', () => {
    expect(decodeAddToTaskMetadata(undefined)).toBeUndefined();
    expect(decodeAddToTaskMetadata('not json')).toBeUndefined();
    expect(
      decodeAddToTaskMetadata(JSON.stringify({ channelId: 'C', messageTs: '1', threadTs: '1' })),
    ).toBeUndefined();
  });

  it('reads back a draft key instead of the text', () => {
    const meta = { ...META, text: undefined, draftId: 'd1' };
    expect(decodeAddToTaskMetadata(encodeAddToTaskMetadata(meta))).toEqual({
      ...META,
      text: undefined,
      draftId: 'd1',
    });
  });
});

describe('messagePreview', () => {
  it('reads the message as Slack shows it, with names', () => {
    expect(messagePreview('ask <@U1> about R&amp;D', new Map([['U1', 'Ann']]))).toBe('ask @Ann about R&D');
  });

  it('falls back to the file names, then to nothing', () => {
    expect(messagePreview('', new Map(), ['a.pdf', 'b.png'])).toBe('a.pdf, b.png');
    expect(messagePreview('  ', new Map())).toBeUndefined();
  });
});
