// JSON Schema (draft-07) of a Nomad job file as HashiCorp's HCL2 parser renders it to JSON
// (hcl2json: a block is an array of objects; a labeled block - job, group, task, port - an
// object keyed by label whose values are such arrays).
//
// Block and attribute names are transcribed from the `hcl:"..."` struct tags of Nomad's api
// package, which its jobspec decoder uses, at hashicorp/nomad commit
// aa026cc99cfb74a77e519a1c1f0c78ba1b452705: api/jobs.go (Job), api/tasks.go (TaskGroup, Task,
// Template, TaskArtifact), api/services.go (Service, ServiceCheck), api/resources.go (Resources,
// NetworkResource, Port), api/constraint.go (Constraint); and the exec and java drivers'
// taskConfigSpec (drivers/exec/driver.go, drivers/java/driver.go). Every block and attribute
// name Nomad accepts there is listed, so a misspelt one is an error; the blocks this job does not
// use (ANY) are checked by name only. Types follow the Go fields (*int: integer, []string: list
// of strings, time.Duration: a Go duration string). Enumerations come from Nomad's documentation.

const S = { type: "string" };
const I = { type: "integer" };
const B = { type: "boolean" };
const L = { type: "array", items: { type: "string" } };
const D = { $ref: "#/definitions/duration" };
const ANY = { $ref: "#/definitions/anyBlock" };
const MAP = { $ref: "#/definitions/stringMapBlock" };
const ref = (name) => ({ $ref: "#/definitions/" + name });

/** A block (array of objects) with exactly these attributes and nested blocks. */
function block(properties, required) {
  const item = { type: "object", additionalProperties: false, properties };
  if (required) item.required = required;
  return { type: "array", minItems: 1, items: item };
}

/** A labeled block: { label: [ {...} ] }, one body per label. */
function labeled(item) {
  return { type: "object", minProperties: 1, additionalProperties: { type: "array", minItems: 1, maxItems: 1, items: item } };
}

const driverCommon = { pid_mode: S, ipc_mode: S, cap_add: L, cap_drop: L, work_dir: S };

const definitions = {
  duration: { type: "string", pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$" },
  anyBlock: { type: "array", items: { type: "object" } },
  stringMapBlock: { type: "array", maxItems: 1, items: { type: "object", additionalProperties: { type: "string" } } },
  constraint: block({
    attribute: S, value: S,
    operator: { enum: ["=", "!=", ">", ">=", "<", "<=", "distinct_hosts", "distinct_property", "regexp",
      "set_contains", "set_contains_all", "set_contains_any", "version", "semver", "is_set", "is_not_set"] },
  }),
  port: {
    type: "object", minProperties: 1,
    additionalProperties: block({
      static: { type: "integer", minimum: 1, maximum: 65535 }, to: { type: "integer", minimum: -1, maximum: 65535 },
      host_network: S, ignore_collision: B,
    }),
  },
  network: block({
    mode: S, device: S, cidr: S, ip: S, dns: ANY, reserved_ports: ANY, port: ref("port"), hostname: S, mbits: I,
    cni: ANY,
  }),
  check: block({
    name: S, type: { enum: ["tcp", "http", "grpc", "script"] }, command: S, args: L, path: S, protocol: S, port: S,
    expose: B, address_mode: S, advertise: S, interval: D, timeout: D, initial_status: S, notes: S,
    tls_server_name: S, tls_skip_verify: B, header: ANY, method: S, check_restart: ANY, grpc_service: S,
    grpc_use_tls: B, task: S, success_before_passing: I, failures_before_critical: I, failures_before_warning: I,
    body: S, on_update: S,
  }, ["type", "interval", "timeout"]),
  service: block({
    name: S, tags: L, canary_tags: L, enable_tag_override: B, port: S,
    address_mode: { enum: ["alloc", "auto", "driver", "host"] }, address: S, check: ref("check"),
    check_restart: ANY, connect: ANY, meta: MAP, canary_meta: MAP, tagged_addresses: MAP, task: S, on_update: S,
    identity: ANY, weights: ANY, provider: { enum: ["consul", "nomad"] }, cluster: S, kind: S,
  }, ["name"]),
  template: block({
    source: S, destination: S, data: S, change_mode: { enum: ["noop", "restart", "signal", "script"] },
    change_script: ANY, change_signal: S, once: B, splay: D, perms: S, uid: I, gid: I, left_delimiter: S,
    right_delimiter: S, env: B, vault_grace: D, wait: ANY, error_on_missing_key: B,
  }, ["destination"]),
  artifact: block({
    source: S, options: MAP, headers: MAP, mode: { enum: ["any", "file", "dir"] }, insecure: B, destination: S,
    chown: B,
  }, ["source"]),
  resources: block({
    cpu: { type: "integer", minimum: 1 }, cores: I, memory: { type: "integer", minimum: 10 }, memory_max: I,
    disk: I, network: ref("network"), device: ANY, numa: ANY, secrets: I, iops: I,
  }),
  execConfig: block({ command: S, args: L, ...driverCommon }, ["command"]),
  javaConfig: block({ class: S, class_path: S, jar_path: S, jvm_options: L, args: L, ...driverCommon }),
};

definitions.task = labeled({
  type: "object", additionalProperties: false, required: ["driver", "config"],
  properties: {
    driver: { enum: ["exec", "java"], description: "the drivers whose config this schema checks" },
    user: S, lifecycle: ANY, config: { type: "array", maxItems: 1, items: { type: "object" } },
    constraint: ref("constraint"), affinity: ANY, env: MAP, service: ref("service"), resources: ref("resources"),
    restart: ANY, meta: MAP, kill_timeout: D, logs: ANY, artifact: ref("artifact"), vault: ANY, consul: ANY,
    template: ref("template"), dispatch_payload: ANY, volume_mount: ANY, csi_plugin: ANY, leader: B,
    shutdown_delay: D, kill_signal: S, kind: S, scaling: ANY, secret: ANY, identity: ANY, action: ANY,
    schedule: ANY,
  },
  allOf: [
    { if: { properties: { driver: { const: "exec" } } }, then: { properties: { config: ref("execConfig") } } },
    { if: { properties: { driver: { const: "java" } } }, then: { properties: { config: ref("javaConfig") } } },
  ],
});

definitions.group = labeled({
  type: "object", additionalProperties: false, required: ["task"],
  properties: {
    count: { type: "integer", minimum: 0 }, constraint: ref("constraint"), affinity: ANY, task: ref("task"),
    spread: ANY, volume: ANY, restart: ANY, disconnect: ANY, reschedule: ANY, ephemeral_disk: ANY, update: ANY,
    migrate: ANY, network: ref("network"), meta: MAP, service: ref("service"), shutdown_delay: D,
    max_run_duration: D, stop_after_client_disconnect: D, max_client_disconnect: D, scaling: ANY, consul: ANY,
    prevent_reschedule_on_lost: B,
  },
});

export const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Nomad job file (HCL2 rendered by hcl2json)",
  type: "object", additionalProperties: false, required: ["job"],
  properties: {
    job: {
      type: "object", minProperties: 1, maxProperties: 1,
      additionalProperties: {
        type: "array", minItems: 1, maxItems: 1,
        items: {
          type: "object", additionalProperties: false, required: ["group"],
          properties: {
            region: S, namespace: S, id: S, name: S, type: { enum: ["service", "batch", "system", "sysbatch"] },
            priority: { type: "integer", minimum: 1, maximum: 100 }, all_at_once: B, datacenters: L, node_pool: S,
            constraint: ref("constraint"), affinity: ANY, group: ref("group"), update: ANY, multiregion: ANY,
            spread: ANY, periodic: ANY, parameterized: ANY, reschedule: ANY, migrate: ANY, meta: MAP, ui: ANY,
          },
        },
      },
    },
  },
  definitions,
};
