// Types of clusters.mjs, for the API's tests that import it.

export interface Cluster {
  port: number;
  url(database?: string, user?: string): string;
  start(): Promise<unknown>;
  stop(mode: 'fast' | 'immediate'): Promise<unknown>;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<Row[]>;
  remove(): Promise<void>;
}

export declare function canCreateClusters(): boolean;
export declare function createCluster(options?: { settings?: Record<string, string> }): Promise<Cluster>;
export declare function createStandby(primary: Cluster): Promise<Cluster>;
export declare function createDatabase(cluster: Cluster, name: string): Promise<{ DATABASE_URL: string; DATABASE_MIGRATE_URL: string }>;
