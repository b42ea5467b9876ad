# An epmd-less Erlang cluster with a JInterface (Java) task, on Nomad with Consul.
#
# Every node listens on port 4370 of its Nomad client's address (a static
# port, so one node per client) and registers the Consul service "my-svc" with
# its alive name as a tag. Consul's DNS interface (the local agent, port 8600)
# then answers, per node:
#
#   SRV erl-N.my-svc.service.consul   -> <client>.node.dc1.consul port 4370
#   SRV java-N.my-svc.service.consul  -> <client>.node.dc1.consul port 4370
#       with A <client>.node.dc1.consul = the client's address in the additional section
#
# Node names: erl-N@my-svc.service.consul, java-N@my-svc.service.consul
# (N = the allocation index). Erlang tasks find peers with an SRV epmd module
# (`-epmd_module`, e.g. DynamicSrv.Epmd, or srv_epmd from this repository's
# it-tests/src/test/erlang); the Java task with the srv-epmd agent.
#
# Tested by it-tests ConsulMultiHostTest (these records, served by a real DNS
# server to nodes on separate hosts in network namespaces, with these settings)
# and validated by NomadJobValidationTest (deploy/validate).
job "erlang-cluster" {
  datacenters = ["dc1"]
  type        = "service"

  # One node per client: every node listens on the same static port, 4370.
  constraint {
    operator = "distinct_hosts"
    value    = "true"
  }

  group "erl" {
    count = 2

    network {
      port "dist" {
        static = 4370
      }
    }

    service {
      name = "my-svc"
      port = "dist"
      tags = ["erl-${NOMAD_ALLOC_INDEX}"]

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "erl" {
      driver = "exec"

      config {
        command = "/usr/bin/erl"
        args = [
          "-noshell",
          "-name", "erl-${NOMAD_ALLOC_INDEX}@my-svc.service.consul",
          "-start_epmd", "false",
          "-epmd_module", "srv_epmd",
          "-pa", "local/ebin",
          "-s", "my_app",
        ]
      }

      # The release: your application's beams and the SRV epmd module, in local/ebin.
      artifact {
        source      = "https://example.com/releases/my_app-ebin.tar.gz"
        destination = "local/ebin"
      }

      env {
        ERL_DIST_PORT = "${NOMAD_PORT_dist}"
        ERL_INETRC    = "${NOMAD_TASK_DIR}/inetrc"
      }

      # Erlang's DNS questions go to the local Consul agent.
      template {
        destination = "local/inetrc"
        data        = <<-EOT
          {nameserver, {127,0,0,1}, 8600}.
          {lookup, [dns]}.
        EOT
      }

      # The cookie from a Nomad variable; erl reads ERL_FLAGS itself.
      template {
        destination = "secrets/cookie.env"
        env         = true
        data        = <<-EOT
          ERL_FLAGS=-setcookie {{ with nomadVar "nomad/jobs/erlang-cluster" }}{{ .cookie }}{{ end }}
        EOT
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }

  group "java" {
    count = 1

    network {
      port "dist" {
        static = 4370
      }
    }

    service {
      name = "my-svc"
      port = "dist"
      tags = ["java-${NOMAD_ALLOC_INDEX}"]

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "java" {
      driver = "java"

      config {
        jar_path    = "local/my-jinterface-app.jar"
        jvm_options = ["-javaagent:local/srv-epmd-agent.jar"]
        # The unmodified program takes its node name as an argument here.
        args = ["java-${NOMAD_ALLOC_INDEX}@my-svc.service.consul"]
      }

      artifact {
        source = "https://example.com/releases/my-jinterface-app.jar"
      }

      artifact {
        source = "https://example.com/releases/srv-epmd-agent.jar"
      }

      env {
        # new OtpNode(name) listens on the Nomad port, as published in Consul.
        ERL_DIST_PORT = "${NOMAD_PORT_dist}"
        # The agent asks the local Consul agent's DNS interface.
        SRVEPMD_DNS_SERVERS = "127.0.0.1:8600"
      }

      template {
        destination = "secrets/cookie.env"
        env         = true
        data        = <<-EOT
          ERLANG_COOKIE={{ with nomadVar "nomad/jobs/erlang-cluster" }}{{ .cookie }}{{ end }}
        EOT
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }
}
