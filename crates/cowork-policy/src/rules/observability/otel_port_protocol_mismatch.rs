use crate::desktop::settings::{otlp_endpoint, otlp_protocol};
use crate::model::OtelProtocol;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::observability::host_port;

declare_rule! {
    /// ## What it flags
    ///
    /// An OTEL endpoint on port 4317 with an HTTP protocol (`http/protobuf` or `http/json`), or
    /// on port 4318 with `grpc`. Endpoints on other ports, or without a `protocol`, are left
    /// alone.
    ///
    /// ## Why it matters
    ///
    /// The OTLP specification: "The default network port for OTLP/gRPC is 4317." and "The
    /// default network port for OTLP/HTTP is 4318." Collectors listen that way out of the box,
    /// and Cowork's export speaks `http/protobuf`, `http/json` or (in newer versions) `grpc`. An
    /// HTTP export sent to a gRPC receiver, or the reverse, fails on every request with an
    /// error that never mentions the port, so the telemetry is lost until someone notices the
    /// dashboards are empty.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// observability:
    ///   otelEndpoint: https://otel.acme.com:4317
    ///   protocol: http/protobuf
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// observability:
    ///   otelEndpoint: https://otel.acme.com:4318
    ///   protocol: http/protobuf
    /// ```
    pub(crate) static RULE = {
        code: "OBS004",
        name: "otel-port-protocol-mismatch",
        area: Observability,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    for section in &cx.policy.observability {
        // The `otlpEndpoint` and `otlpProtocol` the compiled profile writes.
        let (Some(endpoint), Some(protocol)) = (otlp_endpoint(section), otlp_protocol(section))
        else {
            continue;
        };
        let (port_is, fix) = match (endpoint.value.port, protocol.value) {
            (Some(4317), OtelProtocol::HttpProtobuf | OtelProtocol::HttpJson) => (
                "the OTLP/gRPC port",
                format!(
                    "use port 4318 for `{}`, or set `protocol: grpc` if the collector takes gRPC on 4317",
                    protocol.value.as_str()
                ),
            ),
            (Some(4318), OtelProtocol::Grpc) => (
                "the OTLP/HTTP port",
                "use port 4317 for `grpc`, or set `protocol: http/protobuf` if the collector takes HTTP on 4318".to_string(),
            ),
            _ => continue,
        };
        let port = endpoint.value.port.unwrap_or_default();
        out.push(
            Draft::new(
                &RULE,
                endpoint.span,
                format!(
                    "the OTEL endpoint `{}` is on port {port}, {port_is}, but its protocol is `{}`",
                    host_port(&endpoint.value),
                    protocol.value.as_str()
                ),
            )
            .label(format!("port {port} is {port_is}"))
            .related(
                protocol.span,
                format!("`{}` set here", protocol.value.as_str()),
            )
            .help(fix),
        );
    }
}
