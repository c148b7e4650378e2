import { parseTaskRef, splitTaskRef } from '../../src/text/task-ref';

describe('parseTaskRef', () => {
  it.each([
    ['1204567890123456', '1204567890123456'],
    ['https://app.asana.com/0/1200000000000001/1204567890123456', '1204567890123456'],
    ['https://app.asana.com/0/1200000000000001/1204567890123456/f', '1204567890123456'],
    ['https://app.asana.com/0/0/1204567890123456', '1204567890123456'],
    [
      'https://app.asana.com/1/1100000000000001/project/1200000000000001/task/1204567890123456',
      '1204567890123456',
    ],
    [
      'https://app.asana.com/1/1100000000000001/project/1200000000000001/task/1204567890123456?focus=true',
      '1204567890123456',
    ],
    ['https://app.asana.com/1/1100000000000001/task/1204567890123456', '1204567890123456'],
    ['<https://app.asana.com/0/1200000000000001/1204567890123456>', '1204567890123456'],
    ['<https://app.asana.com/0/1200000000000001/1204567890123456|Fix the login>', '1204567890123456'],
  ])('reads %s', (input, gid) => {
    expect(parseTaskRef(input)).toBe(gid);
  });

  it.each([
    'fix',
    'https://example.com/0/1/2',
    'https://app.asana.com/0/1200000000000001/list',
    'https://app.asana.com.evil.example/0/1/2',
    '<@U123>',
    '12ab',
    '',
  ])('refuses %s', (input) => {
    expect(parseTaskRef(input)).toBeUndefined();
  });
});

describe('splitTaskRef', () => {
  it('separates the task from the rest', () => {
    expect(splitTaskRef('<https://app.asana.com/0/1/22|x y> looks good to me')).toEqual({
      taskGid: '22',
      rest: 'looks good to me',
    });
    expect(splitTaskRef('22 tomorrow')).toEqual({ taskGid: '22', rest: 'tomorrow' });
    expect(splitTaskRef('tomorrow 22')).toBeUndefined();
  });
});
