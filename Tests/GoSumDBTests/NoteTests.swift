import Foundation
import GoModCore
import GoSumDB
import GoModTestSupport
import Testing

/// Signed notes: vectors from x/mod v0.7.0 `sumdb/note/note_test.go` (TestNewVerifier,
/// TestNewSigner, TestSign, TestOpen), x/mod's `note.Open` rules (C2SP signed-note.md) and a real
/// sum.golang.org tree head (public issue Azure/kubelogin#610).
@Suite struct NoteTests {
    static let peterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
    static let sumGolangOrg = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"

    var peter: NoteVerifier { get throws { try NoteVerifier(verifierKey: Self.peterKey) } }
    var enoch: NoteVerifier { get throws { try NoteVerifier(verifierKey: Self.enochKey) } }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// The error `body` throws, or `nil` (recording an issue) when it succeeds.
    func noteError(_ body: () throws -> Void) -> NoteError? {
        do { try body() } catch let error as NoteError { return error } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
        Issue.record("accepted")
        return nil
    }

    @Test func verifierKeyParses() throws {
        let v = try peter
        #expect(v.name == "PeterNeumann")
        #expect(v.keyHash == 0xc74f20a3)
        #expect(v.verifierKey == Self.peterKey)
        let sum = try NoteVerifier(verifierKey: Self.sumGolangOrg)
        #expect(sum.keyHash == 0x033de0ae)
        #expect(sum.publicKey.map { String(format: "%02x", $0) }.joined()
                == "ce3372d75ad1ee5ecdaf8727293d4b111d87eb37531d7c86d4d3003f0eb809fc")
    }

    /// x/mod TestNewVerifier: every proper substring and every single-byte increment is rejected.
    @Test func verifierKeyManglingsRejected() throws {
        let b = Self.bytes(Self.peterKey)
        var rejected = 0, total = 0
        for i in 0...b.count {
            for j in (i + 1)..<(b.count + 1) where !(i == 0 && j == b.count) {
                total += 1
                if (try? NoteVerifier(verifierKey: String(decoding: b[i..<j], as: UTF8.self))) == nil { rejected += 1 }
            }
        }
        for i in 0..<b.count {
            var c = b
            c[i] &+= 1
            total += 1
            if (try? NoteVerifier(verifierKey: String(decoding: c, as: UTF8.self))) == nil { rejected += 1 }
        }
        #expect(rejected == total)
        #expect(throws: NoteError(.malformedKey)) {
            try NoteVerifier(verifierKey: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        #expect(throws: NoteError(.unknownAlgorithm)) {
            try NoteVerifier(verifierKey: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
        #expect(throws: NoteError(.keyHashMismatch)) {
            try NoteVerifier(verifierKey: "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    /// x/mod TestNewSigner / TestSign: the signer derives Peter's key and signs the golden signature.
    @Test func signerSignsGoldenSignature() throws {
        let signer = try NoteSigner(signerKey: Self.peterSigner)
        #expect(signer.name == "PeterNeumann")
        #expect(signer.keyHash == 0xc74f20a3)
        #expect(try signer.verifier.verifierKey == Self.peterKey)
        let msg = try Note.sign(Self.bytes(Self.text), with: [signer])
        #expect(msg == Self.bytes(Self.text + "\n" + Self.peterSig))
        #expect(throws: NoteError(.malformedNote)) { try Note.sign(Self.bytes("no newline"), with: [signer]) }
        #expect(throws: NoteError(.keyHashMismatch)) {
            try NoteSigner(signerKey: "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
        }
        #expect(throws: NoteError(.malformedKey)) {
            try NoteSigner(signerKey: "PRIVATE+KEX+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
        }
    }

    @Test func generatedKeyRoundTrips() throws {
        let (signer, verifier) = try NoteSigner.generate(name: "example.com/db")
        let msg = try Note.sign(Self.bytes("hello\n"), with: [signer])
        let note = try Note.open(msg, verifiers: [verifier])
        #expect(note.text == Self.bytes("hello\n"))
        #expect(try NoteVerifier(verifierKey: verifier.verifierKey) == verifier)
    }

    @Test func openOneVerifiedOneUnverified() throws {
        let n = try Note.open(Self.bytes(Self.text + "\n" + Self.peterSig + Self.enochSig), verifiers: [peter])
        #expect(n.text == Self.bytes(Self.text))
        #expect(n.verifiedSignatures.map(\.name) == ["PeterNeumann"])
        #expect(n.verifiedSignatures.first?.base64 == "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")
        #expect(n.unverifiedSignatures.map(\.keyHash) == [0xaf0cfe78])
        let both = try Note.open(Self.bytes(Self.text + "\n" + Self.peterSig + Self.enochSig), verifiers: [peter, enoch])
        #expect(both.verifiedSignatures.map(\.name) == ["PeterNeumann", "EnochRoot"])
        #expect(both.unverifiedSignatures.isEmpty)
    }

    @Test func openNoVerifiableSignature() throws {
        let error = try #require(noteError { _ = try Note.open(Self.bytes(Self.text + "\n" + Self.peterSig + Self.enochSig), verifiers: [NoteVerifier]()) })
        #expect(error.code == .unverifiedNote)
        #expect(error.description == "note has no verifiable signatures")
        #expect(error.unverifiedNote?.unverifiedSignatures.count == 2)
    }

    /// Right name with a wrong key hash, wrong name with the right hash: unknown keys, so unverified (x/mod `note.Open`).
    @Test func wrongNameOrHashIsUnverified() throws {
        let misnamed = Self.peterSig.replacingOccurrences(of: "PeterNeumann", with: "CarmenSandiego")
        #expect(throws: NoteError(.unverifiedNote)) {
            try Note.open(Self.bytes(Self.text + "\n" + misnamed), verifiers: [peter])
        }
        let wrongHash = Self.peterSig.replacingOccurrences(of: "x08g", with: "xxxx")
        #expect(throws: NoteError(.unverifiedNote)) {
            try Note.open(Self.bytes(Self.text + "\n" + wrongHash), verifiers: [peter])
        }
    }

    @Test func ambiguousKey() throws {
        let (p, e) = (try peter, try enoch)
        let error = try #require(noteError { _ = try Note.open(Self.bytes(Self.text + "\n" + Self.enochSig), verifiers: [e, p, e]) })
        #expect(error.code == .ambiguousKey)
        #expect(error.description == "ambiguous key EnochRoot+af0cfe78")
        _ = try Note.open(Self.bytes(Self.text + "\n" + Self.peterSig), verifiers: [enoch, peter, enoch])
    }

    @Test func tooManySignatures() throws {
        let many = String(repeating: Self.peterSig, count: 101)
        #expect(throws: NoteError(.malformedNote)) { try Note.open(Self.bytes(Self.text + "\n" + many), verifiers: [peter]) }
        #expect(throws: NoteError(.malformedNote)) {
            try Note.open(Self.bytes(Self.text + "\n" + many), verifiers: [NoteVerifier]())
        }
        let hundred = String(repeating: Self.peterSig, count: 100)
        #expect(try Note.open(Self.bytes(Self.text + "\n" + hundred), verifiers: [peter]).verifiedSignatures.count == 1)
    }

    @Test func invalidSignature() throws {
        let sig = Array(Self.peterSig.utf8)
        let bad = Array(sig[..<60]) + Self.bytes("ABCD") + Array(sig[60...])
        let p = try peter
        let error = try #require(noteError { _ = try Note.open(Self.bytes(Self.text + "\n") + bad, verifiers: [p]) })
        #expect(error.code == .invalidSignature)
        #expect(error.description == "invalid signature for key PeterNeumann+c74f20a3")
    }

    @Test func duplicatedSignaturesDropped() throws {
        let e = Array(Self.enochSig.utf8)
        let enochABCD = Array(e[..<60]) + Self.bytes("ABCD") + Array(e[60...])
        let msg = Self.bytes(Self.text + "\n" + Self.peterSig + Self.peterSig + Self.enochSig + Self.enochSig) + enochABCD
        let n = try Note.open(msg, verifiers: [peter])
        #expect(n.verifiedSignatures.count == 1)
        #expect(n.unverifiedSignatures.map(\.base64) == [
            "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=",
            "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5nABCD2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=",
        ])
    }

    /// x/mod TestOpen's seven malformed messages plus extras: a `+` in the name, unpadded or
    /// non-canonical base64, a short or empty signature.
    @Test(arguments: [
        text,
        text + "\n",
        text + "\n" + String(peterSig.dropLast()),
        "\u{01}" + text + "\n" + peterSig,
        text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        text + "\n" + peterSig + "Unexpected line.\n",
        text + "\n" + "— Bad+Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
        text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n",
        text + "\n" + "— PeterNeumann AAAA\n",
        text + "\n" + "— PeterNeumann \n",
    ])
    func malformed(message: String) throws {
        #expect(throws: NoteError(.malformedNote)) { try Note.open(Self.bytes(message), verifiers: [peter]) }
    }

    @Test func invalidUTF8Rejected() throws {
        #expect(throws: NoteError(.malformedNote)) {
            try Note.open([0xFF] + Self.bytes(Self.text + "\n" + Self.peterSig), verifiers: [peter])
        }
    }

    /// A real sum.golang.org tree head (quoted in Azure/kubelogin#610) verifies with cmd/go's key; a changed byte does not.
    @Test func realSumGolangOrgTreeHead() throws {
        let key = try NoteVerifier(verifierKey: Self.sumGolangOrg)
        let msg = "go.sum database tree\n35119576\nwsMRe8ItLbtt7dNXFrBSnNrHQKXt78Vs8j/BvAbgfCk=\n\n— sum.golang.org Az3grvswclExUTRv3IMHez5h0L3ycs9mXJj1b137ewuyKYN4kw+i0Vqz4hizy4c6s4IH9v/QRl3F8qvlvG1AxTQfOAA=\n"
        let note = try Note.open(Self.bytes(msg), verifiers: [key])
        #expect(note.verifiedSignatures.count == 1)
        let tampered = msg.replacingOccurrences(of: "35119576", with: "35119577")
        let error = try #require(noteError { _ = try Note.open(Self.bytes(tampered), verifiers: [key]) })
        #expect(error.code == .invalidSignature)
        #expect(error.description == "invalid signature for key sum.golang.org+033de0ae")
    }

    @Test func realLatestFilesVerify() throws {
        let shared = try GoReference.requireShared()
        let key = try NoteVerifier(verifierKey: Self.sumGolangOrg)
        for fixture in ["1jan13nam-learn-go", "39IVd-go-study"] {
            let url = shared.appendingPathComponent("fixtures/real-sumdb/\(fixture)/pkg/sumdb/sum.golang.org/latest")
            let note = try Note.open(Array(try Data(contentsOf: url)), verifiers: [key])
            #expect(note.verifiedSignatures.count == 1)
        }
    }
}
