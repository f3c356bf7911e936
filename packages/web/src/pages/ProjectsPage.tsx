/**
 * The home page: every entity with its projects, their run counts and last activity, newest
 * activity first. With no projects at all it says how to log a first run.
 */
import { useCallback, useEffect, useState } from "react";
import { Link } from "wouter";
import type { EntityDto, ProjectDto } from "@stepwise/protocol";
import { listEntities, listProjects } from "../api/client.js";
import { EmptyState } from "../components/status/EmptyState.js";
import { ErrorState } from "../components/status/ErrorState.js";
import { Loading } from "../components/status/Loading.js";
import { workspacePath } from "../lib/app-paths.js";
import { formatDateTime, formatRelativeTime } from "../lib/time-format.js";
import { FirstRunHelp } from "../components/workspace/FirstRunHelp.js";
import { firstRunSnippet } from "../lib/first-run-snippet.js";
import "../styles/projects.css";

interface EntityProjects {
  entity: EntityDto;
  projects: ProjectDto[];
}

type Load =
  | { status: "loading" }
  | { status: "error"; error: unknown }
  | { status: "done"; entities: EntityProjects[] };

export function ProjectsPage() {
  const [load, setLoad] = useState<Load>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  useEffect(() => {
    const controller = new AbortController();
    setLoad({ status: "loading" });
    loadEverything(controller.signal).then(
      (entities) => setLoad({ status: "done", entities }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ status: "error", error });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  if (load.status === "loading") return <Loading what="projects" />;
  if (load.status === "error") return <ErrorState error={load.error} onRetry={retry} />;
  const withProjects = load.entities.filter((e) => e.projects.length > 0);
  if (withProjects.length === 0) {
    return (
      <EmptyState title="No runs yet — log one with the SDK" snippet={firstRunSnippet()}>
        <FirstRunHelp what="A project appears here when its first run logs to this server." />
      </EmptyState>
    );
  }
  const now = Date.now() / 1000;
  return (
    <div className="page projects-page">
      {withProjects.map(({ entity, projects }) => (
        <section
          key={entity.name}
          className="projects-entity"
          data-testid="entity-section"
          data-entity={entity.name}
        >
          <h2 className="projects-entity-title">
            {entity.name}
            <span className="projects-entity-meta">
              {plural(entity.projects, "project")} · {plural(entity.runs, "run")}
            </span>
          </h2>
          <table className="projects-table">
            <thead>
              <tr>
                <th>Project</th>
                <th className="is-right">Runs</th>
                <th>Last activity</th>
              </tr>
            </thead>
            <tbody>
              {projects.map((project) => (
                <tr
                  key={project.name}
                  data-testid="project-row"
                  data-project={`${project.entity}/${project.name}`}
                >
                  <td>
                    <Link href={workspacePath(project.entity, project.name)}>{project.name}</Link>
                  </td>
                  <td className="is-right" data-testid="project-runs">
                    {project.runs}
                  </td>
                  <td title={project.lastActivity === null ? "" : formatDateTime(project.lastActivity)}>
                    {project.lastActivity === null ? "–" : formatRelativeTime(project.lastActivity, now)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

async function loadEverything(signal: AbortSignal): Promise<EntityProjects[]> {
  const entities = await listEntities(signal);
  const lists = await Promise.all(entities.map((entity) => listProjects(entity.name, signal)));
  return entities
    .map((entity, i) => ({ entity, projects: [...(lists[i] ?? [])].sort(byActivity) }))
    .sort((a, b) => (b.entity.lastActivity ?? 0) - (a.entity.lastActivity ?? 0));
}

function byActivity(a: ProjectDto, b: ProjectDto): number {
  return (b.lastActivity ?? 0) - (a.lastActivity ?? 0) || a.name.localeCompare(b.name);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
