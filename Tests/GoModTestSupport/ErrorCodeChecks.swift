package import GoModCore
package import Testing

/// Checks one domain of ``ErrorCode``s against lists written out in the test: `codes` are the
/// domain's static members in declaration order and `names` the names they must have. Every
/// static member must carry its own name (a typo in a name string cannot go unnoticed), the
/// domain's `codeNames` (hence `allCases` and `init(rawValue:)`) must list exactly these codes in
/// this order, and a name this release does not know must give `nil`. With `describedByName`,
/// each code's `description` must be its name.
package func checkErrorCodes<Domain: ErrorCodeDomain>(
    _ codes: [ErrorCode<Domain>], names: [String], describedByName: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(codes.map(\.rawValue) == names, sourceLocation: sourceLocation)
    #expect(Domain.codeNames == names, sourceLocation: sourceLocation)
    #expect(ErrorCode<Domain>.allCases == codes, sourceLocation: sourceLocation)
    #expect(Set(codes).count == codes.count, sourceLocation: sourceLocation)
    for (code, name) in zip(codes, names) {
        #expect(ErrorCode<Domain>(rawValue: name) == code, sourceLocation: sourceLocation)
        if describedByName {
            #expect(code.description == name, sourceLocation: sourceLocation)
        }
    }
    #expect(ErrorCode<Domain>(rawValue: "noSuchCode") == nil, sourceLocation: sourceLocation)
    #expect(ErrorCode<Domain>(rawValue: "") == nil, sourceLocation: sourceLocation)
}
