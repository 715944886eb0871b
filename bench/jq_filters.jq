def w: . as $v | ["create","update","patch","delete"] | index([$v]) != null;
reduce inputs as $e ([0,0,0,0];
  if ($e.logStreamName | startswith("kube-apiserver-audit")) then
    (try ($e.message | fromjson) catch {}) as $m
    | .[0] += (if $m.objectRef.resource == "configmaps" and $m.objectRef.name == "aws-auth" and ($m.verb | w) then 1 else 0 end)
    | .[2] += (if ($m.responseStatus.code | type) == "number" and $m.responseStatus.code >= 500 then 1 else 0 end)
    | .[3] += (if $m.objectRef.resource == "daemonsets" and $m.objectRef.namespace == "kube-system" and ($m.verb | w) then 1 else 0 end)
  elif ($e.logStreamName | startswith("authenticator")) then
    .[1] += (if ($e.message | contains("access denied")) then 1 else 0 end)
  else . end)