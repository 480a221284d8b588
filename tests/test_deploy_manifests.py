"""The Kubernetes manifests of deploy/kubernetes are valid for the oldest and newest Kubernetes
versions we claim (schemas carried offline by the pinned kubernetes-validate, strict: an unknown
field fails), and they fit together and with the service: the Service and the autoscaler reach the
Deployment, and the probes ask a route the app serves on the port it listens on."""

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from api.app import create_app
from api.settings import Settings
from tests.conftest import PROJECT

MANIFESTS = sorted((PROJECT / "deploy" / "kubernetes").glob("*.yaml"))
KUBERNETES_VERSIONS = ("1.29.0", "1.37.0")


def resources(path: Path) -> list[dict]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


ALL = {(r["kind"], r["metadata"]["name"]): r for path in MANIFESTS for r in resources(path)}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda path: path.name)
def test_every_manifest_is_valid(path, version):
    for resource in resources(path):
        kubernetes_validate.validate(resource, version, strict=True)  # raises ValidationError


def test_the_service_and_the_autoscaler_reach_the_deployment():
    deployment = ALL["Deployment", "metastasis-kg"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert ALL["Service", "metastasis-kg"]["spec"]["selector"].items() <= pod_labels.items()
    assert ALL["PodDisruptionBudget", "metastasis-kg"]["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    target = ALL["HorizontalPodAutoscaler", "metastasis-kg"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "metastasis-kg")


def test_the_probes_ask_a_route_of_the_app_on_the_port_it_listens_on():
    container = ALL["Deployment", "metastasis-kg"]["spec"]["template"]["spec"]["containers"][0]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert f"KG_PORT={ports['http']}" in dockerfile and f"EXPOSE {ports['http']}" in dockerfile
    routes = create_app(Settings()).openapi()["paths"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] in routes
        assert container[probe]["httpGet"]["port"] == "http"
    settings = {variable["name"].removeprefix("KG_").lower(): variable["value"] for variable in container["env"]}
    assert settings.keys() <= Settings.model_fields.keys()
    Settings(**settings)  # valid values, or pydantic raises


def test_the_checker_refuses_a_misspelt_field():
    deployment = yaml.safe_load((PROJECT / "deploy" / "kubernetes" / "deployment.yaml").read_text())
    deployment["spec"]["replica"] = 3
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)
