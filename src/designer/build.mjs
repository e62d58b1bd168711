// Builds the page into the designer server's static folder on the classpath (target/classes/designer/, see
// io.journeys.designer.StaticFiles): one bundled script, its stylesheet and the index page. Run by the Maven
// build (process-resources), or by hand with `npm run build` (OUT=dir to build elsewhere).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.env.OUT ?? path.join(here, '..', '..', 'target', 'classes', 'designer');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(here, 'src', 'main.js')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  outfile: path.join(out, 'designer.js'),
  logLevel: 'warning',
});
copyFileSync(path.join(here, 'src', 'designer.css'), path.join(out, 'designer.css'));
copyFileSync(path.join(here, 'src', 'index.html'), path.join(out, 'index.html'));
console.log(`designer page built into ${out}`);
