import Foundation
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport
import Testing

/// x/mod's own `zip/testdata` cases (x/mod v0.7.0's zip_test.go, run the same way):
///
/// * `check_files`, `check_dir`, `check_zip`: the `want` file is x/mod's `formatCheckedFiles`
///   of the result; GoModKit's report must print the same bytes, and Go 1.27.3 (modzip and
///   hashref reference programs, live) must agree with both;
/// * `create`, `create_from_dir`: the `hash=` of the created zip or the `wantErr=` text;
/// * `unzip`: the `HashDir` of the extracted tree or the `wantErr=` text.
///
/// Expected values are the case files' (written by the x/mod authors) and Go's live answers.
@Suite struct ModuleZipXModTestdataTests {
    static func cases(_ sub: String) -> [String] { XModTestdata.cases(in: [sub]) }

    private func files(_ archive: Txtar) -> (files: [ModuleZip.File], want: [UInt8]?) {
        var want: [UInt8]?
        var files: [ModuleZip.File] = []
        for (name, data) in archive.files {
            if name == Array("want".utf8) {
                if want == nil { want = data; continue }
            }
            files.append(.bytes(ByteString(name), data))
        }
        return (files, want)
    }

    @Test func testdataPresent() throws {
        guard !Self.cases("create").isEmpty else {
            try GoReference.unavailable("x/mod v0.7.0 testdata (golang-golang-x-mod-dev)")
        }
        #expect(Self.cases("check_files").count == 2)
        #expect(Self.cases("create").count == 15)
        #expect(Self.cases("unzip").count == 15)
    }

    @Test(arguments: cases("check_files"))
    func checkFiles(_ path: String) throws {
        let archive = try Txtar(path: path)
        let (files, want) = files(archive)
        let cf = try ModuleZip.checkFiles(files)
        #expect(String(decoding: formatCheckedFiles(cf), as: UTF8.self) == String(decoding: try #require(want), as: UTF8.self))
        // The error is the list of invalid files (x/mod's FileErrorList), or nil.
        if cf.invalid.isEmpty {
            #expect(cf.error == nil)
        } else {
            #expect(cf.error?.code == .invalidFiles)
            #expect(cf.error?.files == cf.invalid)
        }
        // Go 1.27.3, live.
        let spec = ["files": files.map { f -> [String: Any] in
            guard case .bytes(let data) = f.content.storage else { return [:] }
            return ["nameBase64": Data(f.path.bytes).base64EncodedString(), "dataBase64": Data(data).base64EncodedString()]
        }]
        let go = try ModZipRef.runOne(["checkfiles"], stdin: Array(try JSONSerialization.data(withJSONObject: spec)))
        #expect(ModZipRef.format(go) == formatCheckedFiles(cf))
    }

    @Test(arguments: cases("check_dir"))
    func checkDirectory(_ path: String) throws {
        let archive = try Txtar(path: path)
        let (files, want) = files(archive)
        let sandbox = try Sandbox()
        let tree = sandbox.sub("tree")
        try FS.mkdirs(tree)
        for file in files {
            guard case .bytes(let data) = file.content.storage else { continue }
            try FS.write(tree, file.path.bytes, data)
        }
        let cf = try ModuleZip.checkDirectory(tree)
        var text = String(decoding: formatCheckedFiles(cf), as: UTF8.self)
        text = text.replacingOccurrences(of: tree, with: "$work")
        #expect(text == String(decoding: try #require(want), as: UTF8.self))
        let go = try ModZipRef.runOne(["checkdir", tree])
        #expect(String(decoding: ModZipRef.format(go), as: UTF8.self) == text)
    }

    @Test(arguments: cases("check_zip"))
    func checkZip(_ path: String) throws {
        let archive = try Txtar(path: path)
        let (files, want) = files(archive)
        let params = archive.parameters
        let module = ModuleVersion.raw(params["path"] ?? "", params["version"] ?? "")
        let sandbox = try Sandbox()
        let zip = sandbox.sub("case.zip")
        _ = try Hashref.makeZip(zip, entries: files.map { f in
            guard case .bytes(let data) = f.content.storage else { return ZipVector.Entry(name: f.path, data: []) }
            return ZipVector.Entry(name: f.path, data: data)
        })
        let cf = try ModuleZip.checkZip(module, path: zip)
        #expect(String(decoding: formatCheckedFiles(cf), as: UTF8.self) == String(decoding: try #require(want), as: UTF8.self))
        let go = try Hashref.run(.current, ["checkzip", module.path.utf8String ?? "", module.version.utf8String ?? "", zip])
        #expect(String(decoding: ModZipRef.format(go), as: UTF8.self) == String(decoding: formatCheckedFiles(cf), as: UTF8.self))
    }

    @Test(arguments: cases("create"))
    func create(_ path: String) throws {
        let archive = try Txtar(path: path)
        let params = archive.parameters
        let module = ModuleVersion(path: ByteString(rawParameter(archive, "path")),
                                      version: ByteString(params["version"] ?? ""))
        let files = archive.files.map { ModuleZip.File.bytes(ByteString($0.name), $0.data) }
        do {
            let created = try ModuleZip.create(module, files: files, output: .memory)
            #expect(params["wantErr"] == nil, "Go fails with \(params["wantErr"] ?? "")")
            #expect(created.hash.description == params["hash"])
            // The zip bytes hash the same through the reader (independent of the writer's digests).
            let zipArchive = try ZipArchive(bytes: try #require(created.zipBytes))
            #expect(try DirHash.hashZip(zipArchive).description == params["hash"])
            // And hashing without writing gives the same.
            #expect(try ModuleZip.create(module, files: files).hash == created.hash)
        } catch let error as ModuleZipError {
            let wantErr = try #require(params["wantErr"], "unexpected error: \(error)")
            #expect(error.description.contains(wantErr), "\(error)")
        }
    }

    @Test(arguments: cases("create_from_dir"))
    func createFromDirectory(_ path: String) throws {
        let archive = try Txtar(path: path)
        let params = archive.parameters
        let module = ModuleVersion(path: ByteString(rawParameter(archive, "path")),
                                      version: ByteString(params["version"] ?? ""))
        let sandbox = try Sandbox()
        let tree = sandbox.sub("tree")
        try FS.mkdirs(tree)
        for (name, data) in archive.files { try FS.write(tree, name, data) }
        let zip = sandbox.sub("out.zip")
        do {
            let created = try ModuleZip.createFromDirectory(module, directory: tree, output: .file(zip))
            #expect(params["wantErr"] == nil)
            #expect(created.hash.description == params["hash"])
            #expect(try DirHash.hashZip(path: zip).description == params["hash"])
        } catch let error as ModuleZipError {
            let wantErr = try #require(params["wantErr"], "unexpected error: \(error)")
            #expect(error.description.contains(wantErr), "\(error)")
            #expect(!FileManager.default.fileExists(atPath: zip))
            #expect(FS.tree(sandbox.path).map(\.path).allSatisfy { $0.starts(with: Array("tree".utf8)) })
        }
    }

    @Test(arguments: cases("unzip"))
    func unzip(_ path: String) throws {
        let archive = try Txtar(path: path)
        let params = archive.parameters
        let module = ModuleVersion(path: ByteString(rawParameter(archive, "path")),
                                      version: ByteString(params["version"] ?? ""))
        let sandbox = try Sandbox()
        let zip = sandbox.sub("case.zip")
        _ = try Hashref.makeZip(zip, entries: archive.files.map { ZipVector.Entry(name: ByteString($0.name), data: $0.data) })
        let target = sandbox.sub("out")
        do {
            try ModuleZip.unzip(zip, module: module, to: target)
            #expect(params["wantErr"] == nil)
            let prefix = ByteString(module.path.bytes + [0x40] + module.version.bytes + [0x2F])
            #expect(try DirHash.hashDir(target, prefix: prefix).description == params["hash"])
        } catch let error as ModuleZipError {
            let wantErr = try #require(params["wantErr"], "unexpected error: \(error)")
            #expect(error.description.contains(wantErr), "\(error)")
            #expect(!FileManager.default.fileExists(atPath: target))
            #expect(FS.tree(sandbox.path).map { String(decoding: $0.path, as: UTF8.self) } == ["case.zip"])
        }
    }

    /// x/mod's TestCreateFromDirSpecial: an empty directory and a symbolic link produce the
    /// empty zip; a directory named `vendor` holding a go.mod zips like any module root.
    @Test func createFromDirectorySpecialCases() throws {
        let module = ModuleVersion.raw("example.com/m", "v1.0.0")
        let empty = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

        let emptyDir = try Sandbox()
        try FS.mkdirs(emptyDir.sub("empty"))
        #expect(try ModuleZip.createFromDirectory(module, directory: emptyDir.path).hash.description == empty)

        let linkDir = try Sandbox()
        try FS.symlink(linkDir.path, at: linkDir.sub("link"))
        #expect(try ModuleZip.createFromDirectory(module, directory: linkDir.path).hash.description == empty)

        let vendorDir = try Sandbox()
        try FS.write(vendorDir.path, "vendor/go.mod", "module example.com/m\n\ngo 1.13\n")
        #expect(try ModuleZip.createFromDirectory(module, directory: vendorDir.sub("vendor")).hash.description
                == "h1:XduFAgX/GaspZa8Jv4pfzoGEzNaU/r88PiCunijw5ok=")
    }

    /// A raw `key=value` parameter (the invalid-UTF-8 case's module path is not text).
    private func rawParameter(_ archive: Txtar, _ key: String) -> [UInt8] {
        for line in archive.comment.split(separator: 0x0A) {
            var text = Array(line)
            if let hash = text.firstIndex(of: 0x23) { text = Array(text[..<hash]) }
            guard let eq = text.firstIndex(of: 0x3D) else { continue }
            let k = String(decoding: text[..<eq], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard k == key else { continue }
            var value = text[(eq + 1)...]
            while value.first == 0x20 { value = value.dropFirst() }
            while value.last == 0x20 { value = value.dropLast() }
            return Array(value)
        }
        return []
    }
}
