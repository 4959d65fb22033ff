// An ESLint rule for the folders of apps/api/src: each import of another folder must be one that folder
// may import, as the table in eslint.config.mjs says. Relative imports are resolved to the folder they
// reach, so a rename cannot make a rule silently stop matching (a fixture in the test suite checks it).
import { dirname, relative, resolve, sep } from 'node:path';

/** `modules/auth/tokens.service.ts` → `modules/auth`; `common/errors.ts` → `common`; `main.ts` → `.` */
function unitOf(pathInSrc, units) {
  return units.find((unit) => pathInSrc === unit || pathInSrc.startsWith(`${unit}/`)) ?? '.';
}

export default {
  rules: {
    boundaries: {
      meta: {
        type: 'problem',
        docs: { description: 'apps/api/src: a folder imports only the folders its rule allows' },
        schema: [
          {
            type: 'object',
            properties: {
              src: { type: 'string' },
              // unit → the units it may import (besides itself), and why
              rules: { type: 'object', additionalProperties: { type: 'object', properties: { may: { type: 'array', items: { type: 'string' } }, why: { type: 'string' } } } },
            },
          },
        ],
      },
      create(context) {
        const { src, rules } = context.options[0];
        const root = resolve(context.cwd, src);
        const units = Object.keys(rules).sort((a, b) => b.length - a.length);
        const file = relative(root, context.filename).split(sep).join('/');
        if (file.startsWith('..')) return {};
        const from = unitOf(file, units);
        const rule = rules[from];
        if (!rule) return {};
        const check = (node) => {
          const source = node.source?.value;
          if (typeof source !== 'string' || !source.startsWith('.')) return;
          const target = relative(root, resolve(dirname(context.filename), source)).split(sep).join('/');
          if (target.startsWith('..')) return;
          const to = unitOf(target, units);
          if (to === from || rule.may.includes(to)) return;
          context.report({ node: node.source, message: `${from} may not import ${to} (${source}): ${rule.why}` });
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};
