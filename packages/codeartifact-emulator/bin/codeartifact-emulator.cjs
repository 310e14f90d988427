#!/usr/bin/env node
// The `codeartifact-emulator` command (npx codeartifact-emulator, npm run emulator at the repository root).
// Runs the TypeScript source directly through tsx's register API, so there is no build step after `npm ci`.
'use strict';
require('tsx/cjs/api').register();
require('../src/main.ts').main();
