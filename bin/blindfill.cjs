#!/usr/bin/env node
'use strict';
// `blindfill` in a checkout (npx blindfill) or an install: runs the bundled program.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'blindfill.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('error INTERNAL: blindfill is not built yet: run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(1);
}
require(bundle).run();
