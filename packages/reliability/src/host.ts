/** The only address the suite uses: every server listens on it (port 0), every client connects to it. */
export const HOST = '127.0.0.1';
