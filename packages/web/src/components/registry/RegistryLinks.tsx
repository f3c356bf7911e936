/**
 * Where an artifact version is linked (version page): each registry collection and the
 * registry's own version name and aliases there, linking to the collection's page.
 */
import { Link } from "wouter";
import { getArtifactLinks } from "../../api/registry-client.js";
import { registryCollectionPath } from "../../lib/registry-paths.js";
import { useLoaded } from "../artifacts/useLoaded.js";

export function RegistryLinks(props: { entity: string; project: string; name: string; version: string }) {
  const { entity, project, name, version } = props;
  const links = useLoaded(`${entity}/${project}/${name}:${version}`, (signal) =>
    getArtifactLinks({ entity, project, name }, version, signal),
  );
  if (links.data === null || links.data.length === 0) return null;
  return (
    <section className="files-card" data-testid="registry-links">
      <div className="card-head">
        <h2>Linked in registries</h2>
      </div>
      <ul className="registry-link-list">
        {links.data.map((link) => (
          <li key={`${link.registry}/${link.collection}`} data-testid="registry-link">
            <Link
              href={registryCollectionPath(link.entity, link.registry, link.collection)}
              className="artifact-mono"
            >
              {link.registry}/{link.collection}:{link.version}
            </Link>
            {link.aliases.map((alias) => (
              <span className="tag artifact-tag" key={alias}>
                {alias}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
