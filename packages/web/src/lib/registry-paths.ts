/**
 * The UI's registry URLs (routes in App.tsx): `/<entity>/-/registry` lists the entity's
 * registries and their collections, `/<entity>/-/registry/<registry>/<collection>` one
 * collection's linked versions and audit log. `-` is no page of a project, so these never
 * shadow a project's own pages.
 */
const enc = encodeURIComponent;

export function registriesPath(entity: string): string {
  return `/${enc(entity)}/-/registry`;
}

export function registryCollectionPath(entity: string, registry: string, collection: string): string {
  return `${registriesPath(entity)}/${enc(registry)}/${enc(collection)}`;
}
