import type { NetSettings } from '../settings/resolve-settings.js';
import { type ViewerData, graphqlData, graphqlRequest } from './graphql.js';
import { apiHeaders } from './headers.js';
import type { HttpClient } from './http-client.js';

/** Logs in (Viewer query) and returns the default entity; throws with the server's answer otherwise. */
export async function checkLogin(http: HttpClient, baseUrl: string, apiKey: string, net: NetSettings): Promise<string> {
  const req = graphqlRequest(baseUrl, apiHeaders(apiKey), 'Viewer', {}, net.graphql.timeoutMs);
  const res = await http.sendWithRetry('graphql', net.graphql, req);
  const viewer = graphqlData<ViewerData>('Viewer', res).viewer;
  if (!viewer?.entity) throw new Error(`${baseUrl} knows no user for this API key`);
  return viewer.entity;
}
