import { cleanName, cleanText } from '../../src/text/clean-text';

describe('cleanText and cleanName', () => {
  it('drops control characters and direction overrides, keeps the words and emoji', () => {
    expect(cleanName('A\u0000B\u0007C\u001bD \u202Egnp.exe 👩‍💻')).toBe('ABCD gnp.exe 👩‍💻');
  });

  it('keeps line breaks and tabs in notes, but not in names', () => {
    expect(cleanText('one\r\ntwo\tthree')).toBe('one\ntwo\tthree');
    expect(cleanName('one\ntwo\tthree')).toBe('one two three');
  });

  it('leaves right-to-left text alone', () => {
    expect(cleanName('مرحبا بالعالم')).toBe('مرحبا بالعالم');
  });
});
