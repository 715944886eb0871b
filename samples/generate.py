#!/usr/bin/env python3
"""Synthetic Amazon EKS control-plane logs, as JSON Lines of CloudWatch Logs events.

Every line is {"logStreamName","timestamp","message","ingestionTime","eventId"} (what eks-lookout reads as
format (b)), sorted by timestamp, across the five EKS control-plane stream kinds:

  kube-apiserver-audit-<hex>      audit.k8s.io/v1 Event JSON: leases, controllers, kubelets, kube-proxy, coredns,
                                  aws-node, eks:* identities, monitoring, kubectl users (incl. exec)
  authenticator-<hex>             time="..." level=info msg="access granted" ... (aws-iam-authenticator)
  kube-scheduler-<hex>            klog: "Successfully bound pod to node" ...
  kube-controller-manager-<hex>   klog: "Event occurred", "Finished syncing" ...
  kube-apiserver-<hex>            klog: quota admission, allocated clusterIPs ...

Routine traffic is kept clean: no 5xx bursts (a rare 503 from the metrics API, never near a spliced case), no
401/403, no anonymous requests, no privileged pods, no aws-auth or RBAC writes, no secret reads by humans, no
"access denied". Incidents and decoys are not invented here: they are spliced in from rule test files
(rules/tests/*.yaml): for each rule the first `expect: fire` case and every `expect: quiet` case, each case at its
own time in the corpus (relative spacing kept, `repeat` honoured, shifted by whole 5-minute steps when the corpus
has room, else whole minutes, so time bins line up as in the test; the cases are spread evenly over the whole
span, in a seeded random order).

Deterministic: the same arguments and seed give the same bytes (gzip too: no time or file name in its header).
Without --out the corpus goes to samples/generated/eks-<start>-<hours>h-seed<seed>.jsonl.gz (ignored by git), so
the bundled samples/eks-demo.jsonl.gz is only replaced when --out names it.

Examples:
  samples/generate.py --hours 2                 # samples/generated/eks-20261120T080000Z-2h-seed42.jsonl.gz
  samples/generate.py --hours 2 --out /tmp/eks.jsonl
  samples/generate.py --hours 2 --out -         # standard output
  samples/generate.py --hours 24 --size-mb 20 --tests rules/tests --malformed 3 --out samples/eks-demo.jsonl.gz
  samples/generate.py --hours 12 --size-mb 550 --incident-copies 20 --out bench/out/corpus.jsonl
"""

import argparse
import bisect
import datetime as dt
import glob
import gzip
import io
import heapq
import json
import os
import random
import re
import sys
import uuid

try:
    import yaml
except ImportError:  # only needed with --tests
    yaml = None

ACCOUNT = "111122223333"
REGION = "us-west-2"
K8S_VERSION = "v1.30.4-eks-a737599"
KUBELET_VERSION = "v1.30.4-eks-a737599"
DEFAULT_START = "2026-11-20T08:00:00Z"
DEFAULT_TESTS_BASE = dt.datetime(2026, 11, 20, 10, 0, 0, tzinfo=dt.timezone.utc)

COMPACT = dict(separators=(",", ":"), ensure_ascii=False)


def iso_micro(t):
    """RFC 3339 with microseconds, as kube-apiserver writes them."""
    d = dt.datetime.fromtimestamp(t, tz=dt.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06dZ" % d.microsecond


def iso_sec(t):
    return dt.datetime.fromtimestamp(t, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def klog_prefix(level, t, pid):
    d = dt.datetime.fromtimestamp(t, tz=dt.timezone.utc)
    return "%s%02d%02d %02d:%02d:%02d.%06d %7d" % (level, d.month, d.day, d.hour, d.minute, d.second,
                                                  d.microsecond, pid)


def parse_time(value):
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).timestamp()
    s = str(value).strip()
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    d = dt.datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return d.timestamp()


class Cluster:
    """The cast of a small EKS cluster, drawn from the seed."""

    def __init__(self, rng):
        self.rng = rng
        hx = lambda: "%032x" % rng.getrandbits(128)
        self.streams = {
            "audit": ["kube-apiserver-audit-" + hx() for _ in range(2)],
            "authenticator": ["authenticator-" + hx() for _ in range(2)],
            "scheduler": ["kube-scheduler-" + hx() for _ in range(2)],
            "kcm": ["kube-controller-manager-" + hx() for _ in range(2)],
            "apiserver": ["kube-apiserver-" + hx() for _ in range(2)],
        }
        self.nodes = ["ip-10-0-%d-%d.%s.compute.internal" % (rng.randrange(0, 64), rng.randrange(2, 254), REGION)
                      for _ in range(6)]
        self.node_ips = {n: n.split(".")[0][3:].replace("-", ".") for n in self.nodes}
        self.instance_ids = {n: "i-0%016x" % rng.getrandbits(64) for n in self.nodes}
        self.node_role_id = "AROA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(17))
        self.apps = [("web", "frontend"), ("web", "api"), ("payments", "ledger"), ("payments", "worker"),
                     ("monitoring", "grafana")]
        self.pods = {}
        for ns, app in self.apps:
            rs = "%s-%s" % (app, "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(10)))
            self.pods[(ns, app)] = (rs, ["%s-%s" % (rs, "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789")
                                                                 for _ in range(5))) for _ in range(3)])
        self.secrets = {"web": ["api-db-credentials", "frontend-tls"], "payments": ["ledger-db", "stripe-webhook"],
                        "monitoring": ["grafana-admin"]}
        self.configmaps = {"web": ["api-config", "kube-root-ca.crt"], "payments": ["ledger-config",
                                                                                   "kube-root-ca.crt"],
                           "monitoring": ["grafana-dashboards", "kube-root-ca.crt"]}
        self.humans = [
            ("alice", "arn:aws:iam::%s:role/DeveloperRole" % ACCOUNT, ["developers", "system:authenticated"],
             "kubectl/v1.30.2 (darwin/arm64) kubernetes/3968350", "203.0.113.24"),
            ("bob", "arn:aws:iam::%s:role/DeveloperRole" % ACCOUNT, ["developers", "system:authenticated"],
             "kubectl/v1.29.6 (linux/amd64) kubernetes/062798d", "198.51.100.7"),
            ("carol", "arn:aws:iam::%s:role/SREAdmin" % ACCOUNT, ["sre", "system:authenticated"],
             "kubectl/v1.30.2 (linux/amd64) kubernetes/3968350", "198.51.100.61"),
        ]
        self.cp_ips = ["10.0.%d.%d" % (rng.randrange(0, 64), rng.randrange(2, 254)) for _ in range(2)]


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.c = Cluster(random.Random(args.seed * 7919 + 1))
        self.quiet = []  # sorted (start, end) intervals where rare routine events are not emitted
        self.activities = [
            # (weight = events per second at natural size, stream kind, function, rare?)
            (1.2, "audit", self.cp_lease, False),
            (0.6, "audit", self.node_lease, False),
            (0.25, "audit", self.controller_sync, False),
            (0.25, "audit", self.watch_request, False),
            (0.12, "audit", self.kubelet_reads, False),
            (0.10, "audit", self.node_status, False),
            (0.10, "audit", self.eks_identity, False),
            (0.08, "audit", self.monitoring, False),
            (0.05, "audit", self.daemonset_status, False),
            (0.06, "audit", self.human_read, False),
            (0.02, "audit", self.not_found, False),
            (0.01, "audit", self.lease_conflict, False),
            (0.10, "authenticator", self.authenticator, False),
            (0.04, "scheduler", self.scheduler, False),
            (0.08, "kcm", self.controller_manager, False),
            (0.05, "apiserver", self.apiserver, False),
            (0.0015, "audit", self.human_exec, True),
            (0.0006, "audit", self.metrics_unavailable, True),
            (0.0002, "audit", self.addon_manager, True),
        ]
        if args.no_exec:
            self.activities = [a for a in self.activities if a[2] != self.human_exec]
        self.cum = []
        total = 0.0
        for w, _, _, _ in self.activities:
            total += w
            self.cum.append(total)
        self.natural_rate = total

    # ---- helpers -------------------------------------------------------------------------------------------
    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def rv(self):
        return str(self.rng.randrange(10_000_000, 99_999_999))

    def audit(self, t, verb, uri, user, ua, obj=None, code=200, level="Metadata", src=None, reason=None,
              request=None, response=None, status_extra=None):
        received = t - self.rng.uniform(0.0005, 0.02)
        ev = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level, "auditID": self.uid(),
              "stage": "ResponseComplete", "requestURI": uri, "verb": verb, "user": user,
              "sourceIPs": [src or self.pick(self.c.cp_ips)], "userAgent": ua}
        if obj is not None:
            ev["objectRef"] = obj
        rs = {"metadata": {}, "code": code}
        if status_extra:
            rs.update(status_extra)
        ev["responseStatus"] = rs
        if request is not None:
            ev["requestObject"] = request
        if response is not None:
            ev["responseObject"] = response
        ev["requestReceivedTimestamp"] = iso_micro(received)
        ev["stageTimestamp"] = iso_micro(t)
        ann = {"authorization.k8s.io/decision": "allow",
               "authorization.k8s.io/reason": reason or ""}
        ev["annotations"] = ann
        return json.dumps(ev, **COMPACT)

    @staticmethod
    def sa(ns, name):
        return {"username": "system:serviceaccount:%s:%s" % (ns, name),
                "uid": str(uuid.uuid5(uuid.NAMESPACE_OID, ns + "/" + name)),
                "groups": ["system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"]}

    def node_user(self, node):
        return {"username": "system:node:" + node,
                "uid": "aws-iam-authenticator:%s:%s" % (ACCOUNT, self.c.node_role_id),
                "groups": ["system:bootstrappers", "system:nodes", "system:authenticated"],
                "extra": {"accessKeyId": ["ASIA" + self.c.node_role_id[4:20]],
                          "arn": ["arn:aws:sts::%s:assumed-role/eksNodeRole/%s" % (
                              ACCOUNT, self.c.instance_ids[node])],
                          "canonicalArn": ["arn:aws:iam::%s:role/eksNodeRole" % ACCOUNT],
                          "principalId": [self.c.node_role_id],
                          "sessionName": [self.c.instance_ids[node]]}}

    def human_user(self, h):
        name, arn, groups, _, _ = h
        return {"username": name, "uid": "aws-iam-authenticator:%s:AROAEXAMPLE%s" % (ACCOUNT, name.upper()),
                "groups": groups,
                "extra": {"accessKeyId": ["ASIAEXAMPLE" + name.upper()],
                          "arn": ["arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, arn.rsplit("/", 1)[1], name)],
                          "canonicalArn": [arn], "principalId": ["AROAEXAMPLE" + name.upper()],
                          "sessionName": [name]}}

    @staticmethod
    def obj(resource, ns=None, name=None, group=None, version="v1", sub=None):
        o = {"resource": resource}
        if ns:
            o["namespace"] = ns
        if name:
            o["name"] = name
        if group:
            o["apiGroup"] = group
        o["apiVersion"] = version
        if sub:
            o["subresource"] = sub
        return o

    # ---- routine audit traffic -----------------------------------------------------------------------------
    def cp_lease(self, t):
        who = self.pick([("kube-scheduler", "system:kube-scheduler", "kube-scheduler"),
                         ("kube-controller-manager", "system:kube-controller-manager", "kube-controller-manager"),
                         ("cloud-controller-manager", "eks:cloud-controller-manager", "aws-cloud-controller-manager"),
                         ("eks-certificates-controller", "eks:certificate-controller", "eks-certificates-controller")])
        lease, username, agent = who
        verb = "get" if self.rng.random() < 0.5 else "update"
        uri = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/%s?timeout=5s" % lease
        user = {"username": username, "groups": ["system:authenticated"]}
        ua = "%s/%s (linux/amd64) kubernetes/a737599/leader-election" % (agent, K8S_VERSION)
        reason = 'RBAC: allowed by ClusterRoleBinding "%s" of ClusterRole "%s" to User "%s"' % (
            username, username, username)
        return self.audit(t, verb, uri, user, ua, self.obj("leases", "kube-system", lease, "coordination.k8s.io"),
                          reason=reason)

    def node_lease(self, t):
        node = self.pick(self.c.nodes)
        uri = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/%s?timeout=10s" % node
        return self.audit(t, "update", uri, self.node_user(node),
                          "kubelet/%s (linux/amd64) kubernetes/a737599" % KUBELET_VERSION,
                          self.obj("leases", "kube-node-lease", node, "coordination.k8s.io"),
                          src=self.c.node_ips[node])

    def controller_sync(self, t):
        ns, app = self.pick(self.c.apps)
        rs, pods = self.c.pods[(ns, app)]
        kind = self.rng.random()
        if kind < 0.35:
            user, res, name, group, sub, verb = (self.sa("kube-system", "endpointslice-controller"),
                                                 "endpointslices", app + "-" + rs[-5:], "discovery.k8s.io", None,
                                                 "update")
            uri = "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices/%s" % (ns, name)
        elif kind < 0.6:
            user, res, name, group, sub, verb = (self.sa("kube-system", "replicaset-controller"), "replicasets", rs,
                                                 "apps", "status", "update")
            uri = "/apis/apps/v1/namespaces/%s/replicasets/%s/status" % (ns, rs)
        elif kind < 0.8:
            user, res, name, group, sub, verb = (self.sa("kube-system", "deployment-controller"), "deployments", app,
                                                 "apps", "status", "update")
            uri = "/apis/apps/v1/namespaces/%s/deployments/%s/status" % (ns, app)
        elif kind < 0.9:
            user, res, name, group, sub, verb = (self.sa("kube-system", "generic-garbage-collector"), "replicasets",
                                                 None, "apps", None, "list")
            uri = "/apis/apps/v1/replicasets?limit=500&resourceVersion=0"
            ns = None
        else:
            user, res, name, group, sub, verb = (self.sa("kube-system", "cronjob-controller"), "jobs", None, "batch",
                                                 None, "list")
            uri = "/apis/batch/v1/jobs?limit=500"
            ns = None
        ua = "kube-controller-manager/%s (linux/amd64) kubernetes/a737599/system:serviceaccount:kube-system:%s" % (
            K8S_VERSION, user["username"].rsplit(":", 1)[1])
        return self.audit(t, verb, uri, user, ua, self.obj(res, ns, name, group, sub=sub))

    def watch_request(self, t):
        kind = self.rng.random()
        if kind < 0.3:
            user, ua = self.sa("kube-system", "kube-proxy"), "kube-proxy/%s (linux/amd64) kubernetes/a737599" % K8S_VERSION
            res, group, path = self.pick([("endpointslices", "discovery.k8s.io", "/apis/discovery.k8s.io/v1/endpointslices"),
                                          ("services", None, "/api/v1/services"), ("nodes", None, "/api/v1/nodes")])
            src = self.c.node_ips[self.pick(self.c.nodes)]
        elif kind < 0.55:
            user, ua = self.sa("kube-system", "coredns"), "coredns/v0.0.0 (linux/amd64) kubernetes/$Format"
            res, group, path = self.pick([("endpointslices", "discovery.k8s.io", "/apis/discovery.k8s.io/v1/endpointslices"),
                                          ("services", None, "/api/v1/services"),
                                          ("namespaces", None, "/api/v1/namespaces")])
            src = self.c.node_ips[self.pick(self.c.nodes)]
        elif kind < 0.75:
            user, ua = self.sa("kube-system", "aws-node"), "aws-node/v1.18.3 (linux/amd64) kubernetes/$Format"
            res, group, path = self.pick([("eniconfigs", "crd.k8s.amazonaws.com", "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs"),
                                          ("pods", None, "/api/v1/pods"), ("nodes", None, "/api/v1/nodes")])
            src = self.c.node_ips[self.pick(self.c.nodes)]
        else:
            user = {"username": "system:kube-controller-manager", "groups": ["system:authenticated"]}
            ua = "kube-controller-manager/%s (linux/amd64) kubernetes/a737599/shared-informers" % K8S_VERSION
            res, group, path = self.pick([("pods", None, "/api/v1/pods"), ("configmaps", None, "/api/v1/configmaps"),
                                          ("secrets", None, "/api/v1/secrets"),
                                          ("daemonsets", "apps", "/apis/apps/v1/daemonsets"),
                                          ("roles", "rbac.authorization.k8s.io", "/apis/rbac.authorization.k8s.io/v1/roles")])
            src = None
        version = "v1alpha1" if group == "crd.k8s.amazonaws.com" else "v1"
        uri = "%s?allowWatchBookmarks=true&resourceVersion=%s&timeout=%dm%ds&timeoutSeconds=%d&watch=true" % (
            path, self.rv(), self.rng.randrange(5, 10), self.rng.randrange(0, 60), self.rng.randrange(300, 600))
        return self.audit(t, "watch", uri, user, ua, self.obj(res, None, None, group, version), src=src)

    def kubelet_reads(self, t):
        node = self.pick(self.c.nodes)
        ns = self.pick(list(self.c.secrets))
        if self.rng.random() < 0.5:
            res, name = "secrets", self.pick(self.c.secrets[ns])
        else:
            res, name = "configmaps", self.pick(self.c.configmaps[ns])
        uri = ("/api/v1/namespaces/%s/%s?allowWatchBookmarks=true&fieldSelector=metadata.name%%3D%s&resourceVersion=%s"
               "&timeout=%dm%ds&timeoutSeconds=%d&watch=true") % (ns, res, name, self.rv(), self.rng.randrange(5, 10),
                                                                   self.rng.randrange(60), self.rng.randrange(300, 600))
        return self.audit(t, "watch", uri, self.node_user(node),
                          "kubelet/%s (linux/amd64) kubernetes/a737599" % KUBELET_VERSION,
                          self.obj(res, ns, name), src=self.c.node_ips[node])

    def node_status(self, t):
        node = self.pick(self.c.nodes)
        if self.rng.random() < 0.6:
            return self.audit(t, "patch", "/api/v1/nodes/%s/status?timeout=10s" % node, self.node_user(node),
                              "kubelet/%s (linux/amd64) kubernetes/a737599" % KUBELET_VERSION,
                              self.obj("nodes", None, node, sub="status"), src=self.c.node_ips[node])
        return self.audit(t, "get", "/api/v1/nodes/%s?resourceVersion=0&timeout=10s" % node, self.node_user(node),
                          "kubelet/%s (linux/amd64) kubernetes/a737599" % KUBELET_VERSION,
                          self.obj("nodes", None, node), src=self.c.node_ips[node])

    def eks_identity(self, t):
        kind = self.rng.random()
        if kind < 0.3:
            user = {"username": "eks:authenticator", "groups": ["system:authenticated"]}
            return self.audit(t, "get", "/api/v1/namespaces/kube-system/configmaps/aws-auth", user,
                              "aws-iam-authenticator/v0.6.22 (linux/amd64) kubernetes/$Format",
                              self.obj("configmaps", "kube-system", "aws-auth"),
                              reason='RBAC: allowed by RoleBinding "eks:authenticator/kube-system" of Role '
                                     '"eks:authenticator" to User "eks:authenticator"')
        if kind < 0.5:
            user = {"username": "eks:certificate-controller", "groups": ["system:authenticated"]}
            return self.audit(t, "list", "/apis/certificates.k8s.io/v1/certificatesigningrequests?limit=500",
                              user, "eks-certificates-controller/%s (linux/amd64) kubernetes/a737599" % K8S_VERSION,
                              self.obj("certificatesigningrequests", None, None, "certificates.k8s.io"))
        if kind < 0.7:
            user = {"username": "eks:k8s-metrics", "groups": ["system:authenticated"]}
            return self.audit(t, "list", "/api/v1/nodes?limit=500", user,
                              "eks-k8s-metrics/%s (linux/amd64) kubernetes/a737599" % K8S_VERSION,
                              self.obj("nodes", None, None))
        if kind < 0.85:
            user = {"username": "eks:node-manager", "groups": ["system:authenticated"]}
            node = self.pick(self.c.nodes)
            return self.audit(t, "get", "/api/v1/nodes/%s" % node, user,
                              "eks-node-manager/%s (linux/amd64) kubernetes/a737599" % K8S_VERSION,
                              self.obj("nodes", None, node))
        user = {"username": "eks:pod-identity-mutating-webhook", "groups": ["system:authenticated"]}
        ns = self.pick(list(self.c.secrets))
        return self.audit(t, "list", "/api/v1/namespaces/%s/serviceaccounts?limit=500" % ns, user,
                          "eks-pod-identity-webhook/v0.5.5 (linux/amd64) kubernetes/$Format",
                          self.obj("serviceaccounts", ns))

    def monitoring(self, t):
        user = self.sa("monitoring", "prometheus")
        ua = "Prometheus/2.54.1"
        if self.rng.random() < 0.3:
            return self.audit(t, "get", "/metrics", user, ua, None, src=self.c.node_ips[self.pick(self.c.nodes)],
                              reason='RBAC: allowed by ClusterRoleBinding "prometheus" of ClusterRole "prometheus" '
                                     'to ServiceAccount "prometheus/monitoring"')
        res = self.pick(["pods", "endpoints", "services", "nodes"])
        return self.audit(t, "list", "/api/v1/%s?limit=500&resourceVersion=0" % res, user, ua,
                          self.obj(res, None, None), src=self.c.node_ips[self.pick(self.c.nodes)])

    def daemonset_status(self, t):
        ds = self.pick(["aws-node", "kube-proxy", "eks-pod-identity-agent"])
        user = self.sa("kube-system", "daemon-set-controller")
        ua = ("kube-controller-manager/%s (linux/amd64) kubernetes/a737599/system:serviceaccount:kube-system:"
              "daemon-set-controller") % K8S_VERSION
        return self.audit(t, "update", "/apis/apps/v1/namespaces/kube-system/daemonsets/%s/status" % ds, user, ua,
                          self.obj("daemonsets", "kube-system", ds, "apps", sub="status"))

    def human_read(self, t):
        h = self.pick(self.c.humans)
        ns, app = self.pick(self.c.apps)
        rs, pods = self.c.pods[(ns, app)]
        kind = self.rng.random()
        if kind < 0.3:
            verb, uri, o = "list", "/api/v1/namespaces/%s/pods?limit=500" % ns, self.obj("pods", ns)
        elif kind < 0.5:
            pod = self.pick(pods)
            verb, uri, o = "get", "/api/v1/namespaces/%s/pods/%s" % (ns, pod), self.obj("pods", ns, pod)
        elif kind < 0.65:
            pod = self.pick(pods)
            verb, uri, o = ("get", "/api/v1/namespaces/%s/pods/%s/log?container=%s&tailLines=100" % (ns, pod, app),
                            self.obj("pods", ns, pod, sub="log"))
        elif kind < 0.8:
            verb, uri, o = ("get", "/apis/apps/v1/namespaces/%s/deployments/%s" % (ns, app),
                            self.obj("deployments", ns, app, "apps"))
        elif kind < 0.9:
            verb, uri, o = ("list", "/api/v1/namespaces/%s/events?limit=500" % ns, self.obj("events", ns))
        else:
            verb, uri, o = "list", "/api/v1/namespaces?limit=500", self.obj("namespaces")
        return self.audit(t, verb, uri, self.human_user(h), h[3], o, src=h[4],
                          reason='RBAC: allowed by RoleBinding "%s-view/%s" of ClusterRole "view" to Group "%s"' % (
                              h[2][0], ns, h[2][0]))

    def not_found(self, t):
        ns = self.pick(list(self.c.configmaps))
        name = self.pick(["feature-flags", "app-overrides", "extension-apiserver-authentication"])
        user = self.sa(ns, "default")
        return self.audit(t, "get", "/api/v1/namespaces/%s/configmaps/%s" % (ns, name), user,
                          "Go-http-client/2.0", self.obj("configmaps", ns, name), code=404,
                          src=self.c.node_ips[self.pick(self.c.nodes)],
                          status_extra={"status": "Failure", "message": 'configmaps "%s" not found' % name,
                                        "reason": "NotFound", "details": {"name": name, "kind": "configmaps"}})

    def lease_conflict(self, t):
        lease = self.pick(["kube-scheduler", "kube-controller-manager"])
        user = {"username": "system:" + lease, "groups": ["system:authenticated"]}
        return self.audit(t, "update", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/%s?timeout=5s"
                          % lease, user, "%s/%s (linux/amd64) kubernetes/a737599/leader-election" % (lease, K8S_VERSION),
                          self.obj("leases", "kube-system", lease, "coordination.k8s.io"), code=409,
                          status_extra={"status": "Failure", "reason": "Conflict",
                                        "message": 'Operation cannot be fulfilled on leases.coordination.k8s.io "%s":'
                                                   ' the object has been modified; please apply your changes to the'
                                                   ' latest version and try again' % lease})

    def human_exec(self, t):
        h = self.pick(self.c.humans[:2])
        ns, app = self.pick([a for a in self.c.apps if a[0] == "web"])
        pod = self.pick(self.c.pods[(ns, app)][1])
        uri = "/api/v1/namespaces/%s/pods/%s/exec?command=sh&container=%s&stdin=true&stdout=true&tty=true" % (
            ns, pod, app)
        return self.audit(t, "create", uri, self.human_user(h), h[3], self.obj("pods", ns, pod, sub="exec"),
                          code=101, src=h[4],
                          reason='RBAC: allowed by RoleBinding "developers-exec/web" of Role "exec" to Group '
                                 '"developers"')

    def metrics_unavailable(self, t):
        user = self.sa("kube-system", "resourcequota-controller")
        ua = ("kube-controller-manager/%s (linux/amd64) kubernetes/a737599/system:serviceaccount:kube-system:"
              "resourcequota-controller") % K8S_VERSION
        return self.audit(t, "get", "/apis/metrics.k8s.io/v1beta1?timeout=32s", user, ua, None, code=503,
                          status_extra={"status": "Failure", "message": "service unavailable",
                                        "reason": "ServiceUnavailable"})

    def addon_manager(self, t):
        ds = self.pick(["aws-node", "kube-proxy"])
        user = {"username": "eks:addon-manager", "groups": ["system:authenticated"]}
        return self.audit(t, "patch", "/apis/apps/v1/namespaces/kube-system/daemonsets/%s?fieldManager=eks"
                          "&force=true" % ds, user, "eks-addon-manager/%s (linux/amd64) kubernetes/a737599" % K8S_VERSION,
                          self.obj("daemonsets", "kube-system", ds, "apps"),
                          reason='RBAC: allowed by ClusterRoleBinding "eks:addon-manager" of ClusterRole '
                                 '"eks:addon-manager" to User "eks:addon-manager"')

    # ---- other streams -------------------------------------------------------------------------------------
    def authenticator(self, t):
        if self.rng.random() < 0.75:
            node = self.pick(self.c.nodes)
            arn = "arn:aws:iam::%s:role/eksNodeRole" % ACCOUNT
            groups, uid, username = ("[system:bootstrappers system:nodes]",
                                     "aws-iam-authenticator:%s:%s" % (ACCOUNT, self.c.node_role_id),
                                     "system:node:" + node)
            key = "ASIA" + self.c.node_role_id[4:20]
        else:
            h = self.pick(self.c.humans)
            arn, groups, uid, username = (h[1], "[%s]" % " ".join(g for g in h[2] if g != "system:authenticated"),
                                          "aws-iam-authenticator:%s:AROAEXAMPLE%s" % (ACCOUNT, h[0].upper()), h[0])
            key = "ASIAEXAMPLE" + h[0].upper()
        return ('time="%s" level=info msg="access granted" accesskeyid=%s arn="%s" client="127.0.0.1:%d" '
                'groups="%s" method=POST path=/authenticate session_name=%s sts=sts.%s.amazonaws.com uid="%s" '
                'username="%s"') % (iso_sec(t), key, arn, self.rng.randrange(32768, 60999), groups,
                                    username.split(":")[-1].split(".")[0], REGION, uid, username)

    def scheduler(self, t):
        ns, app = self.pick(self.c.apps)
        rs, pods = self.c.pods[(ns, app)]
        pod = rs + "-" + "".join(self.rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
        return ('%s schedule_one.go:314] "Successfully bound pod to node" pod="%s/%s" node="%s" '
                'evaluatedNodes=%d feasibleNodes=%d') % (klog_prefix("I", t, 11), ns, pod, self.pick(self.c.nodes),
                                                         len(self.c.nodes), len(self.c.nodes))

    def controller_manager(self, t):
        ns, app = self.pick(self.c.apps)
        rs, pods = self.c.pods[(ns, app)]
        k = self.rng.random()
        if k < 0.5:
            return '%s replica_set.go:679] "Finished syncing" logger="replicaset-controller" kind="ReplicaSet" ' \
                   'key="%s/%s" duration="%.2fµs"' % (klog_prefix("I", t, 10), ns, rs, self.rng.uniform(20, 90))
        if k < 0.8:
            return ('%s event.go:389] "Event occurred" object="%s/%s" fieldPath="" kind="Deployment" '
                    'apiVersion="apps/v1" type="Normal" reason="ScalingReplicaSet" message="Scaled up replica set %s '
                    'to 3 from 2"') % (klog_prefix("I", t, 10), ns, app, rs)
        return '%s endpointslice_controller.go:344] "Error syncing endpoint slices for service, retrying" ' \
               'logger="endpointslice-controller" key="%s/%s" err="EndpointSlice informer cache is out of date"' % (
                   klog_prefix("I", t, 10), ns, app)

    def apiserver(self, t):
        k = self.rng.random()
        if k < 0.4:
            return "%s controller.go:615] quota admission added evaluator for: %s" % (
                klog_prefix("I", t, 10), self.pick(["leases.coordination.k8s.io", "endpoints",
                                                    "replicasets.apps", "jobs.batch", "events.events.k8s.io"]))
        if k < 0.7:
            ns, app = self.pick(self.c.apps)
            return '%s alloc.go:330] "allocated clusterIPs" service="%s/%s" clusterIPs={"IPv4":"172.20.%d.%d"}' % (
                klog_prefix("I", t, 10), ns, app, self.rng.randrange(256), self.rng.randrange(1, 255))
        return '%s cidrallocator.go:197] starting ServiceCIDR Allocator Controller' % klog_prefix("I", t, 10) \
            if k < 0.75 else '%s handler.go:286] Adding GroupVersion metrics.k8s.io v1beta1 to ResourceManager' % (
                klog_prefix("I", t, 10))

    # ---- assembly ------------------------------------------------------------------------------------------
    def routine(self, t):
        """One routine event at time t: (stream, message)."""
        while True:
            i = bisect.bisect_right(self.cum, self.rng.random() * self.cum[-1])
            if i >= len(self.activities):
                i = len(self.activities) - 1
            _, kind, fn, rare = self.activities[i]
            if rare and self.in_quiet_zone(t):
                continue
            return self.pick(self.c.streams[kind]), fn(t)

    def in_quiet_zone(self, t):
        i = bisect.bisect_right(self.quiet, (t, float("inf"))) - 1
        return (i >= 0 and self.quiet[i][0] <= t <= self.quiet[i][1]) or (
            i + 1 < len(self.quiet) and self.quiet[i + 1][0] <= t <= self.quiet[i + 1][1])


def load_cases(test_dirs):
    """[(rule, case name, [events])]: per test file the first fire case and every quiet case."""
    if not test_dirs:
        return []
    if yaml is None:
        sys.exit("generate.py: --tests needs PyYAML (pip install pyyaml)")
    picked = []
    files = []
    for d in test_dirs:
        files.extend(sorted(glob.glob(os.path.join(d, "*.yaml")) + glob.glob(os.path.join(d, "*.yml"))))
    for f in files:
        with open(f, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
            print("generate.py: %s: no 'cases' list, skipped" % f, file=sys.stderr)
            continue
        rule = doc.get("rule") or os.path.splitext(os.path.basename(f))[0]
        fire_taken = False
        for case in doc["cases"]:
            expect = case.get("expect")
            if expect == "fire" and not fire_taken:
                fire_taken = True
            elif expect != "quiet":
                continue
            events = expand_case(f, case)
            if events:
                picked.append((rule, case.get("name", "?"), expect, events))
    return picked


def expand_case(f, case):
    """The case's events as [(t seconds, stream, message, ingestion offset or None, repeat index)]."""
    base = DEFAULT_TESTS_BASE.timestamp()
    out = []
    k = 0
    for e in case.get("events") or []:
        if "logStream" not in e or "message" not in e:
            print("generate.py: %s: case %r: event without logStream/message, skipped" % (f, case.get("name")),
                  file=sys.stderr)
            continue
        t0 = parse_time(e["timestamp"]) if e.get("timestamp") is not None else base + k
        ingest = parse_time(e["ingestionTime"]) - t0 if e.get("ingestionTime") is not None else None
        for r in range(int(e.get("repeat", 1) or 1)):
            out.append((t0 + r, e["logStream"], e["message"], ingest, r))
            k += 1
    return out


AUTH_TIME = re.compile(r'^time="([^"]+)"')


def shift_message(message, delta):
    """Message text of a spliced event, its own timestamps moved by delta seconds."""
    if isinstance(message, dict):
        m = dict(message)
        for key in ("requestReceivedTimestamp", "stageTimestamp"):
            if isinstance(m.get(key), str):
                try:
                    m[key] = iso_micro(parse_time(m[key]) + delta)
                except ValueError:
                    pass
        return json.dumps(m, **COMPACT, default=str)
    if not isinstance(message, str):
        return json.dumps(message, **COMPACT, default=str)
    mt = AUTH_TIME.match(message)
    if mt:
        try:
            return 'time="%s"' % iso_sec(parse_time(mt.group(1)) + delta) + message[mt.end():]
        except ValueError:
            pass
    return message


def place_cases(gen, cases, copies, start, end):
    """Spliced events [(t, stream, message, ingestion offset)] and the quiet zones around them."""
    if not cases:
        return []
    slots_needed = len(cases) * copies
    span = end - start
    step = 300 if span / 300 >= slots_needed + 1 else 60
    slots = int(span // step) - 1
    if slots < slots_needed:
        print("generate.py: %d cases x %d copies need %d slots but %.1f h has %d; cases share slots"
              % (len(cases), copies, slots_needed, span / 3600, max(slots, 0)), file=sys.stderr)
    slots = max(slots, 1)
    order = list(range(slots_needed))
    gen.rng.shuffle(order)
    aligned = -(-start // step) * step  # slots start on whole steps, so time bins line up whatever --start is
    out = []
    zones = []
    for n, idx in enumerate(order):
        rule, name, expect, events = cases[idx % len(cases)]
        first = min(e[0] for e in events)
        # spread evenly over the whole corpus when there is room (n * slots / needed), else round the slots
        slot = (n * slots) // slots_needed if slots >= slots_needed else n % slots
        slot_start = aligned + step * (1 + slot)
        # whole steps: keep the case's phase within a `step` window (bins line up as in the test)
        delta = slot_start - (first - (first % step))
        for t, stream, message, ingest, r in events:
            out.append((t + delta, stream, shift_message(message, delta + r), ingest))
        last = max(e[0] for e in events) + delta
        zones.append((first + delta - 600, last + 600))
    zones.sort()
    gen.quiet = zones
    out.sort(key=lambda e: e[0])
    return out


MALFORMED = [
    lambda rng, line: line[: max(1, len(line) // 2)],                         # truncated line
    lambda rng, line: "Traceback (most recent call last): not a log event",  # garbage text
    lambda rng, line: json.dumps({"logStreamName": "kube-apiserver-audit-0", "message": "no timestamp"}),
    lambda rng, line: "[" + line + "]",                                       # not an object
]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--start", default=DEFAULT_START, help="first event time, RFC 3339 (default %(default)s)")
    ap.add_argument("--hours", type=float, default=1.0, help="time span of the corpus (default %(default)s)")
    ap.add_argument("--size-mb", type=float, default=None,
                    help="approximate output size in MB (uncompressed); default: a small cluster's natural rate"
                         " (~20 MB per hour)")
    ap.add_argument("--tests", action="append", default=[],
                    help="directory of rule test files (*.yaml) to splice cases from; repeatable")
    ap.add_argument("--incident-copies", type=int, default=1, help="splice every case this many times")
    ap.add_argument("--malformed", type=int, default=0, help="number of malformed lines to insert")
    ap.add_argument("--no-exec", action="store_true", help="no routine kubectl exec by developers")
    ap.add_argument("--out", default=None,
                    help="output file (.gz compresses), '-' for stdout (default: samples/generated/"
                         "eks-<start>-<hours>h-seed<seed>.jsonl.gz next to this script)")
    args = ap.parse_args(argv)
    if args.hours <= 0:
        ap.error("--hours must be positive")

    gen = Generator(args)
    start = parse_time(args.start)
    end = start + args.hours * 3600

    # Rate: the natural one, or scaled so the output is about --size-mb.
    rate = gen.natural_rate
    if args.size_mb:
        probe = Generator(args)
        sample = [len(probe.line(*probe.routine(start + i), start + i, i)) + 1 for i in range(3000)]
        avg = sum(sample) / len(sample)
        rate = args.size_mb * 1e6 / avg / (end - start)

    cases = load_cases(args.tests)
    spliced = place_cases(gen, cases, max(1, args.incident_copies), start, end)
    malformed_at = sorted(gen.rng.uniform(start, end) for _ in range(args.malformed))

    sink = None
    if args.out is None:
        args.out = default_out(start, args.hours, args.seed)
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
    if args.out == "-":
        out = sys.stdout
    elif args.out.endswith(".gz"):
        # mtime 0 and no file name: the gzip header carries neither the wall-clock time nor the output's name, so
        # the same command gives the same bytes wherever it writes
        sink = open(args.out, "wb")  # GzipFile does not close a file object it was given: closed below
        raw = gzip.GzipFile(filename="", mode="wb", compresslevel=6, mtime=0, fileobj=sink)
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    else:
        out = open(args.out, "w", encoding="utf-8", newline="\n")

    written = 0
    lines = 0
    seq = 0
    si = 0
    mi = 0
    t = start
    buf = []
    try:
        while True:
            t += gen.rng.expovariate(rate)
            while si < len(spliced) and spliced[si][0] <= min(t, end):
                st, stream, message, ingest = spliced[si]
                buf.append(gen.line(stream, message, st, seq, ingest))
                seq += 1
                si += 1
            if t >= end:
                break
            while mi < len(malformed_at) and malformed_at[mi] <= t:
                kind = MALFORMED[mi % len(MALFORMED)]
                buf.append(kind(gen.rng, gen.line(*gen.routine(t), t, seq)))
                mi += 1
            stream, message = gen.routine(t)
            buf.append(gen.line(stream, message, t, seq))
            seq += 1
            if len(buf) >= 2000:
                chunk = "\n".join(buf) + "\n"
                out.write(chunk)
                written += len(chunk)
                lines += len(buf)
                buf.clear()
        while si < len(spliced):  # a case running past the end still goes in whole
            st, stream, message, ingest = spliced[si]
            buf.append(gen.line(stream, message, st, seq, ingest))
            seq += 1
            si += 1
        while mi < len(malformed_at):
            buf.append(MALFORMED[mi % len(MALFORMED)](gen.rng, "{"))
            mi += 1
        if buf:
            chunk = "\n".join(buf) + "\n"
            out.write(chunk)
            written += len(chunk)
            lines += len(buf)
    finally:
        if out is not sys.stdout:
            out.close()
        if sink is not None:
            sink.close()
    print("generate.py: %d lines (%d spliced from %d cases, %d malformed), ~%.1f MB, %s .. %s%s"
          % (lines, len(spliced), len(cases), args.malformed, written / 1e6, iso_sec(start), iso_sec(end),
             "" if args.out == "-" else " -> " + args.out),
          file=sys.stderr)
    return 0


def default_out(start, hours, seed):
    """samples/generated/eks-<start>-<hours>h-seed<seed>.jsonl.gz next to this script: never the bundled corpus."""
    stamp = dt.datetime.fromtimestamp(start, tz=dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = "eks-%s-%sh-seed%d.jsonl.gz" % (stamp, ("%g" % hours).replace(".", "p"), seed)
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated", name)


def _line(self, stream, message, t, seq, ingest_offset=None):
    ts = int(t * 1000)
    if ingest_offset is not None:
        ingestion = ts + int(ingest_offset * 1000)
    elif self.rng.random() < 0.003:
        ingestion = ts + self.rng.randrange(60_000, 300_000)  # occasionally minutes late
    else:
        ingestion = ts + self.rng.randrange(150, 3_000)
    return json.dumps({"logStreamName": stream, "timestamp": ts, "message": message, "ingestionTime": ingestion,
                       "eventId": "%020d%036d" % (ts, seq)}, **COMPACT)


Generator.line = _line

if __name__ == "__main__":
    sys.exit(main())
