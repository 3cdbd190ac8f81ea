// swift-tools-version: 6.0
import PackageDescription

/// swiftc links executables with `-export-dynamic`: every public Swift symbol of the package
/// lands in the dynamic symbol table, which nothing loaded at run time needs and which the
/// dynamic loader searches first for every symbol of libstdc++, libc …, at every start.
let privateSymbols: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])]

/// `stage1` starts once per pod (its `run` entrypoint; the pod's init is that process forked).
/// Built by `make release` (`RKT_STATIC_STAGE1` set), it is a static PIE (lld): no dynamic loader,
/// no libstdc++ to map and bind, and still ASLR. Only on request, because glibc's static-PIE
/// start-up aborts on the RUNPATH SwiftPM adds unless given `--disable-local-rpath` (which the
/// Makefile passes): a plain `swift build -c release` keeps a dynamically linked stage1.
let staticPIE: [LinkerSetting] = Context.environment["RKT_STATIC_STAGE1"] == nil ? [] : [
    .unsafeFlags(["-static-executable", "-use-ld=lld", "-Xclang-linker", "-static-pie"], .when(configuration: .release)),
]

/// The rkt suite: four small executables over one core library (`Shared`).
/// Every C library sits behind one system-library target and is called from one wrapper folder
/// of `Shared` only (Archive/, Digest/, OpenPGP/, HTTP/, HTTPServer/).
let package = Package(
    name: "rkt-suite",
    products: [
        .executable(name: "actool", targets: ["actool"]),
        .executable(name: "rkt-sign", targets: ["rkt-sign"]),
        .executable(name: "rkt-trust", targets: ["rkt-trust"]),
        .executable(name: "rkt", targets: ["rkt"]),
        .executable(name: "stage1", targets: ["stage1"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CGPGME", pkgConfig: "gpgme", providers: [.apt(["libgpgme-dev"])]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),  // loaded on first use (shim.h)
        .target(name: "CLinux", dependencies: ["CSeccomp"]),
        // libmicrohttpd (libmicrohttpd-dev) behind a small C API, loaded on first use (httpd.c).
        .target(name: "CMicroHTTPD"),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .target(name: "AppcSchema"),
        .target(name: "LinuxSupport", dependencies: ["CLinux", "CSeccomp"]),
        .target(name: "Stage1ABI", dependencies: ["AppcSchema"]),
        .target(
            name: "Shared",
            dependencies: [
                "AppcSchema", "LinuxSupport", "Stage1ABI", "CArchive", "CDeflate", "COpenSSL", "CGPGME", "CCurl", "CLinux", "CMicroHTTPD",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(name: "CLISupport", dependencies: ["Shared", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .target(name: "Stage1Kit", dependencies: ["AppcSchema", "LinuxSupport", "Stage1ABI", "CLinux"]),
        .executableTarget(name: "stage1", dependencies: ["Stage1Kit"], linkerSettings: privateSymbols + staticPIE),
        .executableTarget(name: "actool", dependencies: ["CLISupport"], linkerSettings: privateSymbols),
        .executableTarget(name: "rkt-sign", dependencies: ["CLISupport"], linkerSettings: privateSymbols),
        .executableTarget(name: "rkt-trust", dependencies: ["CLISupport"], linkerSettings: privateSymbols),
        .executableTarget(name: "rkt", dependencies: ["CLISupport"], linkerSettings: privateSymbols),
        // What the test targets share: scratch directories, the one process launcher, local servers,
        // GnuPG homes. _GNU_SOURCE: pipe2 and posix_spawn_file_actions_addchdir_np for the launcher.
        .target(name: "TestSupport", dependencies: ["AppcSchema"], path: "Tests/TestSupport",
                swiftSettings: [.unsafeFlags(["-Xcc", "-D_GNU_SOURCE"])]),
        .testTarget(name: "AppcSchemaTests", dependencies: ["AppcSchema", "TestSupport"]),
        .testTarget(name: "SharedTests", dependencies: ["Shared", "TestSupport"]),
        .testTarget(name: "LinuxSupportTests", dependencies: ["LinuxSupport", "TestSupport"]),
        .testTarget(name: "Stage1KitTests", dependencies: ["Stage1Kit", "TestSupport"]),
        .testTarget(name: "RktTests", dependencies: ["rkt"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Shared", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
