// For worker threads' entry scripts: loads one of the app's modules as the app itself runs, the TypeScript through
// tsx, or the JavaScript compiled beside it when the app runs compiled (as under `npm test`). `base` is the entry
// script's import.meta.url and `name` the module beside it without its extension ("./docx").
export async function loadModule(base, name, compiled) {
  if (!compiled) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  return import(new URL(`${name}.${compiled ? 'js' : 'ts'}`, base).href);
}
