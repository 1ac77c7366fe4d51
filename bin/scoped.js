#!/usr/bin/env node
import { main, systemIO } from '../dist/bundle/scoped.js';

process.exitCode = await main(process.argv.slice(2), systemIO());
