// The app version, read from package.json at build time by the bundler and at run time under tsx.
import pkg from '../../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;
