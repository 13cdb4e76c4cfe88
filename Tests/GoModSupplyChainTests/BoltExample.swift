import Foundation
import GoModCore
import GoModZip
import GoSumDB
import GoModFetch
import GoModVCS
import GoModSupplyChain
import GoModTestSupport
import Testing

/// Paths of the bundled example (Examples/boltdb-typosquat).
enum BoltExample {
    static let root = GoReference.repoRoot.appendingPathComponent("Examples/boltdb-typosquat")
    static let bundle = root.appendingPathComponent("upstream.bundle").path
    static let proxy = root.appendingPathComponent("proxy")
    static let atV = proxy.appendingPathComponent("github.com/boltdb-go/bolt/@v")
    static let zip = atV.appendingPathComponent("v1.3.1.zip").path
    static let info = atV.appendingPathComponent("v1.3.1.info").path
    static let goSum = root.appendingPathComponent("go.sum").path

    /// The backdoored zip's `h1:` as Go 1.27.3's `go mod download` recorded it in go.sum.
    static func recordedZipHash() throws -> String {
        let text = try String(contentsOfFile: goSum, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("github.com/boltdb-go/bolt v1.3.1 ") })
        return String(try #require(line.split(separator: " ").last))
    }

    /// The Origin hash the example's .info records (the backdoored commit), read with
    /// Foundation's JSON parser.
    static func originHash() throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: info))) as? [String: Any]
        let origin = try #require(object?["Origin"] as? [String: Any])
        return try #require(origin["Hash"] as? String)
    }
}
