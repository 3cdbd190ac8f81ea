/// How apps reach the metadata service (`rkt metadata-service`): stage0 registers the pod and
/// passes its token (`--mds-token`) and, when not the default, the service's port (`--mds-port`);
/// stage1 gives every app `AC_METADATA_URL`.
public enum MetadataServiceURL {
    /// The service's TCP port unless `--listen-port` says otherwise (rkt's).
    public static let defaultPort = 18112

    /// `AC_METADATA_URL` of a pod: the token is the path, as in rkt.
    public static func url(host: String, port: Int, token: String) -> String {
        "http://\(host):\(port)/\(token)"
    }
}
