// Regenerates the rule table of README.md from the rule catalog (lib/checks/catalog.ts), between the markers
// <!-- rules:start --> and <!-- rules:end -->. Run `npm run docs` (it builds first); test/readme.test.ts fails when
// the README and the catalog disagree.
const fs = require('fs');
const path = require('path');
const { renderRuleTable } = require('../dist/checks/catalog');

const file = path.join(__dirname, '..', 'README.md');
const readme = fs.readFileSync(file, 'utf8');
const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) {
  throw new Error('README.md has no rule table markers');
}
fs.writeFileSync(file, `${readme.slice(0, from + start.length)}\n${renderRuleTable()}\n${readme.slice(to)}`);
console.log('README.md rule table updated');
