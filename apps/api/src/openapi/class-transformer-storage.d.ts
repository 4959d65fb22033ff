// class-transformer's registry of `@Type` targets: its package publishes the module without types beside it.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
