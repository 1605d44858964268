#!/usr/bin/env python3
"""Schema check of deploy/docker-compose.yml and deploy/kubernetes/*.yaml, offline.

`docker compose config` needs the compose plugin and `kubectl --dry-run=client`
needs a cluster for its OpenAPI document; neither is available in CI. So this
checks the files against minimal schemas written here (a closed subset of the
Compose spec and of the Kubernetes kinds we use: unknown or misspelt keys fail),
then cross-references: Services select some Deployment's pods, Ingress backends
name existing Services and ports, probes name container ports, envFrom names an
existing ConfigMap/Secret, compose depends_on names services. What it does not
check: the full upstream schemas (value formats beyond these, API-server
defaulting and admission).

Needs PyYAML and jsonschema (pip install pyyaml jsonschema).
"""
import glob
import os
import sys

import jsonschema
import yaml

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
STRMAP = {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}}
STRLIST = {"type": "array", "items": STR}


def closed(properties, required=()):
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


# --- Compose (subset of the Compose specification) -------------------------------
COMPOSE_SERVICE = closed({
    "image": STR,
    "build": {"oneOf": [STR, closed({"context": STR, "dockerfile": STR, "args": STRMAP})]},
    "command": {"oneOf": [STR, STRLIST]},
    "entrypoint": {"oneOf": [STR, STRLIST]},
    "environment": {"oneOf": [STRMAP, STRLIST]},
    "env_file": {"oneOf": [STR, STRLIST]},
    "restart": {"enum": ["no", "always", "on-failure", "unless-stopped"]},
    "ports": {"type": "array", "items": {"type": ["string", "integer"]}},
    "expose": {"type": "array"},
    "volumes": STRLIST,
    "depends_on": {"oneOf": [
        STRLIST,
        {"type": "object", "additionalProperties": closed({
            "condition": {"enum": ["service_started", "service_healthy",
                                   "service_completed_successfully"]},
            "restart": BOOL,
            "required": BOOL,
        }, ["condition"])},
    ]},
    "healthcheck": closed({
        "test": {"oneOf": [STR, STRLIST]},
        "interval": STR, "timeout": STR, "retries": INT, "start_period": STR,
        "disable": BOOL,
    }),
    "stop_grace_period": STR,
    "stop_signal": STR,
    "deploy": {"type": "object"},
})
COMPOSE = {
    "type": "object",
    "properties": {
        "name": STR,
        "services": {"type": "object", "minProperties": 1,
                     "additionalProperties": COMPOSE_SERVICE},
        "volumes": {"type": "object"},
        "networks": {"type": "object"},
    },
    "required": ["services"],
    "patternProperties": {"^x-": {}},
    "additionalProperties": False,
}

# --- Kubernetes (the kinds and fields Hubbub's manifests use) --------------------
METADATA = closed({"name": STR, "namespace": STR, "labels": STRMAP, "annotations": STRMAP},
                  ["name"])
PROBE = closed({
    "httpGet": closed({"path": STR, "port": {"type": ["string", "integer"]}, "scheme": STR},
                      ["port"]),
    "initialDelaySeconds": INT, "periodSeconds": INT, "timeoutSeconds": INT,
    "failureThreshold": INT, "successThreshold": INT,
}, ["httpGet"])
RESOURCES = closed({"requests": STRMAP, "limits": STRMAP})
CONTAINER = closed({
    "name": STR, "image": STR, "args": STRLIST, "command": STRLIST,
    "env": {"type": "array", "items": closed({"name": STR, "value": STR, "valueFrom": {"type": "object"}}, ["name"])},
    "envFrom": {"type": "array", "items": closed({
        "configMapRef": closed({"name": STR}, ["name"]),
        "secretRef": closed({"name": STR}, ["name"]),
    })},
    "ports": {"type": "array", "items": closed({"name": STR, "containerPort": INT, "protocol": STR},
                                               ["containerPort"])},
    "readinessProbe": PROBE, "livenessProbe": PROBE, "startupProbe": PROBE,
    "resources": RESOURCES,
    "securityContext": {"type": "object"},
}, ["name", "image"])
POD_SPEC = closed({
    "containers": {"type": "array", "minItems": 1, "items": CONTAINER},
    "restartPolicy": {"enum": ["Always", "OnFailure", "Never"]},
    "terminationGracePeriodSeconds": INT,
    "securityContext": {"type": "object"},
    "serviceAccountName": STR,
}, ["containers"])
POD_TEMPLATE = closed({"metadata": closed({"labels": STRMAP, "annotations": STRMAP}), "spec": POD_SPEC},
                      ["spec"])
SELECTOR = closed({"matchLabels": STRMAP}, ["matchLabels"])
BACKEND = closed({"service": closed({
    "name": STR, "port": closed({"name": STR, "number": INT}),
}, ["name", "port"])}, ["service"])


def kind(api_version, kind_name, spec=None, extra=None, required_spec=True):
    properties = {"apiVersion": {"const": api_version}, "kind": {"const": kind_name},
                  "metadata": METADATA}
    required = ["apiVersion", "kind", "metadata"]
    if spec is not None:
        properties["spec"] = spec
        if required_spec:
            required.append("spec")
    properties.update(extra or {})
    return closed(properties, required)


KUBE = {
    "Deployment": kind("apps/v1", "Deployment", closed({
        "replicas": INT, "selector": SELECTOR, "template": POD_TEMPLATE,
        "strategy": {"type": "object"}, "minReadySeconds": INT,
    }, ["selector", "template"])),
    "Service": kind("v1", "Service", closed({
        "selector": STRMAP, "type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
        "ports": {"type": "array", "minItems": 1, "items": closed({
            "name": STR, "port": INT, "targetPort": {"type": ["string", "integer"]},
            "protocol": STR,
        }, ["port"])},
    }, ["selector", "ports"])),
    "Ingress": kind("networking.k8s.io/v1", "Ingress", closed({
        "ingressClassName": STR,
        "tls": {"type": "array", "items": closed({"hosts": STRLIST, "secretName": STR})},
        "rules": {"type": "array", "items": closed({"host": STR, "http": closed({
            "paths": {"type": "array", "items": closed({
                "path": STR,
                "pathType": {"enum": ["Prefix", "Exact", "ImplementationSpecific"]},
                "backend": BACKEND,
            }, ["path", "pathType", "backend"])},
        }, ["paths"])})},
    })),
    "Job": kind("batch/v1", "Job", closed({
        "backoffLimit": INT, "ttlSecondsAfterFinished": INT, "activeDeadlineSeconds": INT,
        "template": POD_TEMPLATE,
    }, ["template"])),
    "ConfigMap": kind("v1", "ConfigMap", extra={"data": STRMAP}),
    "Secret": kind("v1", "Secret", extra={"type": STR, "stringData": STRMAP, "data": STRMAP}),
}


def fail(errors, where, message):
    errors.append(f"{where}: {message}")


def check_compose(path, errors):
    with open(path) as handle:
        doc = yaml.safe_load(handle)
    for error in jsonschema.Draft7Validator(COMPOSE).iter_errors(doc):
        fail(errors, path, f"{'/'.join(map(str, error.path))}: {error.message}")
    services = (doc or {}).get("services") or {}
    for name, service in services.items():
        if not isinstance(service, dict):
            continue
        if "image" not in service and "build" not in service:
            fail(errors, path, f"service {name} has neither image nor build")
        for dependency in service.get("depends_on") or []:
            if dependency not in services:
                fail(errors, path, f"service {name} depends on unknown service {dependency}")


def check_kubernetes(paths, errors):
    docs = []
    for path in paths:
        with open(path) as handle:
            for doc in yaml.safe_load_all(handle):
                if doc is not None:
                    docs.append((path, doc))
    by_kind = {}
    for path, doc in docs:
        schema = KUBE.get(doc.get("kind"))
        where = f"{path} ({doc.get('kind')} {doc.get('metadata', {}).get('name')})"
        if schema is None:
            fail(errors, where, f"kind {doc.get('kind')!r} is not one this check knows")
            continue
        for error in jsonschema.Draft7Validator(schema).iter_errors(doc):
            fail(errors, where, f"{'/'.join(map(str, error.path))}: {error.message}")
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = (where, doc)

    def pods(doc):
        return doc.get("spec", {}).get("template", {})

    for name, (where, doc) in by_kind.get("Deployment", {}).items():
        labels = pods(doc).get("metadata", {}).get("labels", {})
        wanted = doc["spec"]["selector"]["matchLabels"]
        if any(labels.get(k) != v for k, v in wanted.items()):
            fail(errors, where, "selector.matchLabels does not match the pod template's labels")
    workloads = list(by_kind.get("Deployment", {}).values()) + list(by_kind.get("Job", {}).values())
    for where, doc in workloads:
        for container in pods(doc).get("spec", {}).get("containers", []):
            ports = {p.get("name") for p in container.get("ports", [])}
            numbers = {p.get("containerPort") for p in container.get("ports", [])}
            for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                port = container.get(probe, {}).get("httpGet", {}).get("port")
                if port is not None and port not in ports and port not in numbers:
                    fail(errors, where, f"{probe} uses port {port!r}, not a port of {container['name']}")
            for source in container.get("envFrom", []):
                for key, kind_name in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    ref = source.get(key, {}).get("name")
                    if ref is not None and ref not in by_kind.get(kind_name, {}):
                        fail(errors, where, f"envFrom names unknown {kind_name} {ref}")
    services = by_kind.get("Service", {})
    for name, (where, doc) in services.items():
        selector = doc["spec"]["selector"]
        matched = [d for _, d in by_kind.get("Deployment", {}).values()
                   if all(pods(d).get("metadata", {}).get("labels", {}).get(k) == v
                          for k, v in selector.items())]
        if not matched:
            fail(errors, where, "selects no Deployment's pods")
        for port in doc["spec"]["ports"]:
            target = port.get("targetPort")
            if isinstance(target, str) and matched:
                names = {p.get("name") for d in matched
                         for c in pods(d)["spec"]["containers"] for p in c.get("ports", [])}
                if target not in names:
                    fail(errors, where, f"targetPort {target!r} is no container port name")
    for name, (where, doc) in by_kind.get("Ingress", {}).items():
        for rule in doc["spec"].get("rules", []):
            for entry in rule.get("http", {}).get("paths", []):
                backend = entry["backend"]["service"]
                target = services.get(backend["name"])
                if target is None:
                    fail(errors, where, f"backend names unknown Service {backend['name']}")
                    continue
                port_names = {p.get("name") for p in target[1]["spec"]["ports"]}
                port_numbers = {p.get("port") for p in target[1]["spec"]["ports"]}
                port = backend["port"]
                if port.get("name") not in port_names and port.get("number") not in port_numbers:
                    fail(errors, where, f"backend port {port} is not a port of {backend['name']}")
    return len(docs)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    errors = []
    compose = os.path.join(root, "deploy", "docker-compose.yml")
    check_compose(compose, errors)
    manifests = sorted(glob.glob(os.path.join(root, "deploy", "kubernetes", "*.yaml")))
    if not manifests:
        errors.append("deploy/kubernetes: no manifests found")
    count = check_kubernetes(manifests, errors)
    for error in errors:
        print(f"deploy check: {error}", file=sys.stderr)
    if errors:
        return 1
    print(f"deploy check: {compose} and {count} Kubernetes objects in {len(manifests)} files are valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
