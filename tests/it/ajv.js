// Checks parkplan's JSON Schema with ajv, the validator most JavaScript tools use, in its strict
// modes: run by tests/it/schema.rs as `node ajv.js SCHEMA` with the ajv package resolvable from
// NODE_PATH, and a JSON list of cases `[{ "name": …, "doc": … }]` on standard input.
//
// The schema must compile with ajv's defaults (strict mode, in which an unknown keyword or format
// is an error), with `strict: true` (every strict check an error, union types included), and with
// ajv-formats added, without any warning. Prints one line per case, `name<TAB>valid` or
// `name<TAB>invalid<TAB>first error`, after a first line `compiled`; exits 1 with the reason when
// the schema does not compile.
'use strict';

const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const cases = JSON.parse(fs.readFileSync(0, 'utf8'));

function compile(options, formats) {
  const warnings = [];
  const logger = {
    log() {},
    warn: (...args) => warnings.push(args.join(' ')),
    error: (...args) => warnings.push(args.join(' ')),
  };
  const ajv = new Ajv({ ...options, logger, allErrors: false });
  if (formats) addFormats(ajv);
  const validate = ajv.compile(schema);
  if (warnings.length > 0) {
    throw new Error(`warnings with ${JSON.stringify(options)}: ${warnings.join('; ')}`);
  }
  return validate;
}

let validate;
try {
  validate = compile({}, false);
  compile({ strict: true }, false);
  compile({}, true);
} catch (e) {
  console.error(`the schema does not compile: ${e.message}`);
  process.exit(1);
}
console.log('compiled');
for (const c of cases) {
  if (validate(c.doc)) {
    console.log(`${c.name}\tvalid`);
  } else {
    const e = validate.errors[0];
    console.log(`${c.name}\tinvalid\t${e.instancePath} ${e.message}`);
  }
}
