public import GoModCore
import GoModPlatform

extension DownloadedModule {
    /// The object `go mod download -json` prints for this module (cmd/go's `ModuleJSON`, via
    /// `json.MarshalIndent(m, "", "\t")`): fields `Path`, `Version`, `Query`, `Info`, `GoMod`,
    /// `Zip`, `Dir`, `Sum`, `GoModSum`, `Origin` in that order, empty ones omitted; Go's string
    /// escaping (`<`, `>`, `&` as `\u003c`…). No trailing newline.
    public func goJSON() -> [UInt8] {
        var fields: [(String, GoJSON)] = [("Path", .string(path)), ("Version", .string(version))]
        if let query, !query.isEmpty { fields.append(("Query", .string(query))) }
        for (key, value) in [("Info", info), ("GoMod", goMod), ("Zip", zip), ("Dir", dir)] where !value.isEmpty {
            fields.append((key, .string(ByteString(value))))
        }
        fields.append(("Sum", .string(ByteString(sum.description))))
        fields.append(("GoModSum", .string(ByteString(goModSum.description))))
        if let origin = Self.originJSON(origin) { fields.append(("Origin", origin)) }
        return GoJSON.object(fields).encoded()
    }

    /// The object `go mod download -json` prints for a module that failed: `Path`, `Version`
    /// (when known), `Query`, `Error`.
    public static func goErrorJSON(_ module: ModuleVersion, query: ByteString? = nil, error: String) -> [UInt8] {
        let path = module.path, version = module.version
        var fields: [(String, GoJSON)] = [("Path", .string(path))]
        if !version.isEmpty { fields.append(("Version", .string(version))) }
        if let query, !query.isEmpty { fields.append(("Query", .string(query))) }
        fields.append(("Error", .string(ByteString(error))))
        return GoJSON.object(fields).encoded()
    }

    /// `Origin` in `codehost.Origin` field order, string fields only.
    static func originJSON(_ raw: [UInt8]?) -> GoJSON? {
        guard let raw, let object = JSONValue.object(raw) else { return nil }
        var fields: [(String, GoJSON)] = []
        for key in ["VCS", "URL", "Subdir", "Hash", "TagPrefix", "TagSum", "Ref", "RepoSum"] {
            if case .string(let s)? = object[key], !s.isEmpty { fields.append((key, .string(ByteString(s)))) }
        }
        return fields.isEmpty ? nil : .object(fields)
    }
}
