public import GoSumDB

extension ChecksumDatabase {
    /// A client over ``DefaultHTTPTransport`` (the checksum-database module itself holds no HTTP
    /// implementation; its designated initialiser takes the transport).
    public init(configuration: ChecksumDatabaseConfiguration, store: any ChecksumDatabaseStore) {
        self.init(configuration: configuration, store: store, transport: DefaultHTTPTransport())
    }
}
