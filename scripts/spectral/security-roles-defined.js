// Replaces spectral:oas's oas3-operation-security-defined, which predates OpenAPI 3.1: it reads every
// entry of a security requirement as an OAuth scope, so the roles 3.1 allows on an `http` scheme
// (here: the token abilities an operation needs) are all reported as undefined scopes. This keeps
// what that rule checks (the scheme exists; OAuth scopes are declared) and holds roles on other
// schemes to the list of abilities the API knows, so a misspelt ability is still caught.
export default function securityRolesDefined(requirement, options, { document, path }) {
  const schemes = document.data?.components?.securitySchemes ?? {};
  const results = [];
  for (const [name, roles] of Object.entries(requirement ?? {})) {
    const scheme = schemes[name];
    if (scheme === undefined) {
      results.push({ message: `"${name}" is not a scheme in components.securitySchemes.`, path: [...path, name] });
      continue;
    }
    const known = scheme.type === 'oauth2' ? Object.values(scheme.flows ?? {}).flatMap((flow) => Object.keys(flow.scopes ?? {})) : options.roles;
    roles.forEach((role, index) => {
      if (!known.includes(role)) results.push({ message: `"${role}" is not one of ${known.join(', ')}.`, path: [...path, name, index] });
    });
  }
  return results;
}
