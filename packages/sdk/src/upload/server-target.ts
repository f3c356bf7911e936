/** Where a run uploads: the server's base URL and the API key sent with each request (null: none). */
export interface ServerTarget {
  baseUrl: string;
  apiKey: string | null;
}
