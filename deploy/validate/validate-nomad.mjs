// Validates a Nomad job file offline and prints what the job asks of DNS (JSON on stdout).
//
//   node deploy/validate/validate-nomad.mjs deploy/nomad/erlang-cluster.nomad.hcl
//
// 1. Syntax: HashiCorp's HCL2 native-syntax parser (github.com/hashicorp/hcl/v2, built to
//    WebAssembly in @cdktf/hcl2json), the parser family Nomad's jobspec2 decoder uses.
// 2. Structure: JSON Schema (ajv) of the jobspec's blocks and attributes (nomad-schema.mjs),
//    with every attribute name Nomad's decoder accepts in those blocks: a misspelt or misplaced
//    attribute, a wrong type or a missing required attribute is an error.
// 3. Rules Nomad checks when the job is submitted, for what this job uses: service and check
//    ports name a port label of the group's network block, ${NOMAD_PORT_x}-style references name
//    such a label, interpolations are Nomad runtime variables, service names are valid, the java
//    driver has jar_path or class; and one rule of ours: groups sharing a static port must not
//    share a client (distinct_hosts).
// Exit status 0: valid; 1: errors (one per line on stderr); 2: usage.
import { readFile } from "node:fs/promises";
import { parse } from "@cdktf/hcl2json";
import Ajv from "ajv";
import { schema } from "./nomad-schema.mjs";

const file = process.argv[2];
if (!file) {
  console.error("usage: validate-nomad.mjs JOB.nomad.hcl");
  process.exit(2);
}

function fail(errors) {
  for (const e of errors) console.error(`${file}: ${e}`);
  process.exit(1);
}

let json;
try {
  json = await parse(file, await readFile(file, "utf8"));
} catch (e) {
  fail([`HCL syntax: ${String(e.message ?? e).replace(/\s+/g, " ")}`]);
}

const ajv = new Ajv({ allErrors: true, strictTypes: false });
const validate = ajv.compile(schema);
if (!validate(json)) {
  fail(validate.errors.map((e) => `schema: ${e.instancePath || "/"} ${e.message}`
    + (e.params?.additionalProperty ? ` ('${e.params.additionalProperty}' is not a Nomad attribute or block here)` : "")
    + (e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : "")));
}

const errors = [];
const [jobName] = Object.keys(json.job);
const job = json.job[jobName][0];
const RUNTIME = /^(NOMAD_(ALLOC_INDEX|ALLOC_ID|ALLOC_NAME|SHORT_ALLOC_ID|ALLOC_DIR|TASK_DIR|SECRETS_DIR|JOB_ID|JOB_NAME|JOB_PARENT_ID|GROUP_NAME|TASK_NAME|DC|REGION|NAMESPACE|CPU_LIMIT|MEMORY_LIMIT|(PORT|HOST_PORT|IP|ADDR|HOST_IP|HOST_ADDR|ALLOC_PORT|ALLOC_IP|ALLOC_ADDR)_[A-Za-z0-9_-]+)|(node|attr|meta)\.[A-Za-z0-9_.-]+)$/;
const PORT_REF = /^NOMAD_(PORT|HOST_PORT|IP|ADDR|HOST_IP|HOST_ADDR|ALLOC_PORT|ALLOC_IP|ALLOC_ADDR)_(.+)$/;
const SERVICE_NAME = /^(?:[a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])$/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Every ${...} in every string under value, with where it is. */
function interpolations(value, where, out = []) {
  if (typeof value === "string") {
    for (const m of value.matchAll(/\$\{([^}]*)\}/g)) out.push({ name: m[1].trim(), where });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => interpolations(v, `${where}[${i}]`, out));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) interpolations(v, `${where}.${k}`, out);
  }
  return out;
}

const constraints = (c) => (c ?? []).map((x) => x.operator ?? "=");
const jobDistinct = constraints(job.constraint).includes("distinct_hosts");
const summary = { job: jobName, datacenters: job.datacenters ?? [], distinctHosts: jobDistinct, groups: [] };
const staticPorts = new Map();

for (const [groupName, [group]] of Object.entries(job.group)) {
  const where = `group "${groupName}"`;
  const ports = {};
  for (const network of group.network ?? []) {
    for (const [label, [port]] of Object.entries(network.port ?? {})) {
      ports[label] = port.static ?? port.to ?? null;
      if (port.static) {
        const users = staticPorts.get(port.static) ?? [];
        users.push({ group: groupName, distinct: jobDistinct || constraints(group.constraint).includes("distinct_hosts") });
        staticPorts.set(port.static, users);
      }
    }
  }
  const services = [];
  const checkService = (svc, at) => {
    if (!SERVICE_NAME.test(svc.name.replace(/\$\{[^}]*\}/g, "0"))) errors.push(`${at}: service name "${svc.name}" is not a valid DNS label`);
    if (svc.port !== undefined && !/^[0-9]+$/.test(svc.port) && !(svc.port in ports)) {
      errors.push(`${at}: service "${svc.name}" port "${svc.port}" is not a port label of the group's network block (${Object.keys(ports).join(", ") || "none"})`);
    }
    for (const check of svc.check ?? []) {
      if (check.port !== undefined && !(check.port in ports)) errors.push(`${at}: check port "${check.port}" is not a port label of the group`);
    }
    for (const tag of svc.tags ?? []) {
      if (!SERVICE_NAME.test(tag.replace(/\$\{[^}]*\}/g, "0"))) errors.push(`${at}: tag "${tag}" cannot be a DNS label (Consul looks nodes up as TAG.${svc.name}.service.consul)`);
    }
    services.push({ name: svc.name, port: svc.port, portNumber: ports[svc.port] ?? null, tags: svc.tags ?? [] });
  };
  (group.service ?? []).forEach((s) => checkService(s, where));
  const tasks = [];
  for (const [taskName, [task]] of Object.entries(group.task)) {
    const at = `${where} task "${taskName}"`;
    (task.service ?? []).forEach((s) => checkService(s, at));
    const config = task.config?.[0] ?? {};
    if (task.driver === "java" && !config.jar_path && !config.class) errors.push(`${at}: the java driver needs jar_path or class`);
    const env = Object.assign({}, ...(task.env ?? []));
    for (const k of Object.keys(env)) if (!ENV_NAME.test(k)) errors.push(`${at}: "${k}" is not a valid environment variable name`);
    for (const { name, where: w } of interpolations(task, at)) {
      if (!RUNTIME.test(name)) {
        errors.push(`${w}: \${${name}} is not a Nomad runtime variable`);
        continue;
      }
      const ref = PORT_REF.exec(name);
      if (ref && !(ref[2] in ports)) errors.push(`${w}: \${${name}} names port label "${ref[2]}", which the group does not declare`);
    }
    tasks.push({
      name: taskName, driver: task.driver, env, command: config.command ?? null, args: config.args ?? [],
      jvmOptions: config.jvm_options ?? [], jarPath: config.jar_path ?? null,
      templates: (task.template ?? []).map((t) => ({ destination: t.destination, env: t.env ?? false, data: t.data ?? null })),
    });
  }
  summary.groups.push({ name: groupName, count: group.count ?? 1, ports, services, tasks,
    distinctHosts: jobDistinct || constraints(group.constraint).includes("distinct_hosts") });
}

for (const [port, users] of staticPorts) {
  if (users.length > 0 && users.some((u) => !u.distinct)) {
    errors.push(`static port ${port} (groups ${users.map((u) => u.group).join(", ")}): without a distinct_hosts constraint two allocations may be placed on one client and collide`);
  }
}

if (errors.length) fail(errors);
console.log(JSON.stringify(summary, null, 2));
