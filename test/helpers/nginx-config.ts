/**
 * nginx in front of several Cognate instances, round-robin over loopback with keep-alive upstream
 * connections, run from a temp dir: the configuration shared by the multi-instance test and the
 * benchmark (and shaped like the README's example). One worker process: on a 2-core machine a second
 * would only compete with the instances.
 */
export const NGINX = '/usr/sbin/nginx';

export interface NginxConfig {
  /** Temp dir for the pid file, logs and nginx's temp paths. */
  dir: string;
  port: number;
  /** The instances' URLs. */
  upstreams: string[];
  /** Appended to each `server` line of the upstream, e.g. "max_fails=1 fail_timeout=30s". */
  serverOptions?: string;
  keepalive: number;
  /** Extra directives of the location, e.g. "proxy_next_upstream error timeout;". */
  location?: string;
}

export function nginxConfig(c: NginxConfig): string {
  return `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${c.dir}/nginx.pid;
error_log ${c.dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${c.dir}/body;
  proxy_temp_path ${c.dir}/proxy;
  fastcgi_temp_path ${c.dir}/fastcgi;
  uwsgi_temp_path ${c.dir}/uwsgi;
  scgi_temp_path ${c.dir}/scgi;
  upstream cognate {
${c.upstreams.map((u) => `    server ${new URL(u).host}${c.serverOptions ? ` ${c.serverOptions}` : ''};`).join('\n')}
    keepalive ${c.keepalive};
  }
  server {
    listen 127.0.0.1:${c.port};
    location / {
      proxy_pass http://cognate;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
${c.location ? `      ${c.location}\n` : ''}    }
  }
}
`;
}
