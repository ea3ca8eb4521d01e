/** Whether the build in `root` (a URL of the checkout's folder, ending in "/") is current. */
export function compiledIsCurrent(root: URL): boolean;
