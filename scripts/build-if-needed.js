// Runs before `npm start`: compiles src/ to dist/ when dist/ is missing or older than any source file,
// so a fresh clone starts with one command and a rebuilt tree does not pay for a compile it does not need.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

const entry = path.join(root, 'dist', 'index.js');
const stale = !fs.existsSync(entry) || fs.statSync(entry).mtimeMs < newestMtime(path.join(root, 'src'));
if (stale) {
  execSync('npx tsc -p tsconfig.build.json', { cwd: root, stdio: 'inherit' });
}
