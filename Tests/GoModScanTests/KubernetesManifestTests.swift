import Foundation
import Testing
import GoModTestSupport

/// deploy/kubernetes is checked two ways, offline:
/// 1. against the Kubernetes 1.37 JSON schemas that PyPI's kubernetes-validate ships
///    (`--strict`: unknown fields are errors, so a misspelt `backoffLimitPerIndex` fails);
/// 2. for what those schemas cannot say (they carry no enums or cross-field rules), against the
///    rules of the batch/v1 API reference, written out here: `completionMode` ∈ {NonIndexed,
///    Indexed}; `backoffLimitPerIndex` and `podFailurePolicy` need `restartPolicy: Never`;
///    `action` ∈ {FailJob, FailIndex, Ignore, Count}, FailIndex only with `backoffLimitPerIndex`;
///    `operator` ∈ {In, NotIn}; `onExitCodes.values` non-empty, ≤ 255 entries, no 0 with `In`;
///    `containerName` names a container; and the shard contract of Docs/scan.md (exit 2 fails the
///    index, the shard count is passed explicitly, a volume holds the state).
@Suite struct KubernetesManifestTests {
    static let directory = GoReference.repoRoot.appendingPathComponent("deploy/kubernetes")

    /// `python3` with kubernetes-validate and PyYAML importable: .tools/kv (the installer's), or
    /// the system's.
    static func python() throws -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        let tools = GoReference.repoRoot.appendingPathComponent(".tools/kv").path
        if FileManager.default.fileExists(atPath: tools + "/kubernetes_validate") { env["PYTHONPATH"] = tools }
        let probe = try GoReference.run("/usr/bin/env", ["python3", "-c", "import kubernetes_validate, yaml"], environment: env)
        guard probe.status == 0 else {
            try GoReference.unavailable("kubernetes-validate (scripts/install-go-reference.sh installs it into .tools/kv)")
        }
        return env
    }

    static let files = ["scan-job.yaml", "merge-job.yaml", "state-pvc.yaml"]

    @Test(arguments: files)
    func validatesAgainstTheKubernetesSchema(_ name: String) throws {
        let env = try Self.python()
        let path = Self.directory.appendingPathComponent(name).path
        let out = try GoReference.run("/usr/bin/env", ["python3", "-m", "kubernetes_validate", "--strict", "-k", "1.37.0", path], environment: env)
        let text = String(decoding: out.stdout + out.stderr, as: UTF8.self)
        #expect(out.status == 0, "\(text)")
        #expect(text.contains("passed"))
    }

    @Test func theValidatorRejectsAMisspeltField() throws {
        let env = try Self.python()
        let text = try String(contentsOf: Self.directory.appendingPathComponent("scan-job.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "backoffLimitPerIndex:", with: "backoffLimitPerIndx:")
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: bad)
        let out = try GoReference.run("/usr/bin/env", ["python3", "-m", "kubernetes_validate", "--strict", "-k", "1.37.0", bad.path], environment: env)
        #expect(out.status != 0)
    }

    /// The manifest as JSON (PyYAML).
    static func load(_ name: String) throws -> [String: Any] {
        let env = try python()
        let out = try GoReference.run("/usr/bin/env", ["python3", "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
                                                       directory.appendingPathComponent(name).path], environment: env)
        #expect(out.status == 0)
        return try #require(try JSONSerialization.jsonObject(with: Data(out.stdout)) as? [String: Any])
    }

    @Test func theScanJobIsAnIndexedJobThatFailsAnIndexOnExitTwo() throws {
        let job = try Self.load("scan-job.yaml")
        #expect(job["apiVersion"] as? String == "batch/v1")
        #expect(job["kind"] as? String == "Job")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let completions = try #require(spec["completions"] as? Int)
        let parallelism = try #require(spec["parallelism"] as? Int)
        #expect(completions >= 1 && parallelism >= 1 && parallelism <= 100_000)
        let perIndex = try #require(spec["backoffLimitPerIndex"] as? Int)
        #expect(perIndex >= 0)
        if let maxFailed = spec["maxFailedIndexes"] as? Int { #expect(maxFailed >= 0 && maxFailed <= completions) }

        let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(template["restartPolicy"] as? String == "Never")
        let containers = try #require(template["containers"] as? [[String: Any]])
        let names = Set(containers.compactMap { $0["name"] as? String })

        let rules = try #require((spec["podFailurePolicy"] as? [String: Any])?["rules"] as? [[String: Any]])
        var failsIndexOnTwo = false
        for rule in rules {
            let action = try #require(rule["action"] as? String)
            #expect(["FailJob", "FailIndex", "Ignore", "Count"].contains(action))
            let codes = rule["onExitCodes"] as? [String: Any]
            let conditions = rule["onPodConditions"] as? [[String: Any]]
            #expect((codes == nil) != (conditions == nil), "a rule has exactly one of onExitCodes and onPodConditions")
            if let codes {
                let op = try #require(codes["operator"] as? String)
                #expect(["In", "NotIn"].contains(op))
                let values = try #require(codes["values"] as? [Int])
                #expect(!values.isEmpty && values.count <= 255 && Set(values).count == values.count)
                if op == "In" { #expect(!values.contains(0)) }
                if let container = codes["containerName"] as? String { #expect(names.contains(container)) }
                if action == "FailIndex", op == "In", values == [2] { failsIndexOnTwo = true }
            }
        }
        #expect(failsIndexOnTwo)

        // The scan container: a shard with an explicit count, findings as data, state on a volume.
        let scan = try #require(containers.first { $0["name"] as? String == "scan" })
        let args = try #require(scan["args"] as? [String])
        let countIndex = try #require(args.firstIndex(of: "--shard-count"))
        #expect(args.indices.contains(countIndex + 1) && Int(args[countIndex + 1]) == completions)
        #expect(args.contains("--findings-exit-zero"))
        #expect(!args.contains("--shard-index"), "the index comes from JOB_COMPLETION_INDEX")
        let stateIndex = try #require(args.firstIndex(of: "--state"))
        let mounts = try #require(scan["volumeMounts"] as? [[String: Any]])
        let mount = try #require(mounts.first { $0["mountPath"] as? String == args[stateIndex + 1] })
        let volumes = try #require(template["volumes"] as? [[String: Any]])
        #expect(volumes.contains { $0["name"] as? String == mount["name"] as? String })
    }
}
