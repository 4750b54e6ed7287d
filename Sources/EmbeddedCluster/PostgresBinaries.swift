#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The directory holding the PostgreSQL server programs (`initdb`, `pg_ctl`, and `postgres` beside them)
/// that the embedded launcher runs.
package struct PostgresBinaries: Sendable, Equatable {
    /// Where to look for the programs.
    package struct Search: Sendable, Equatable {
        /// Directories searched first, in order; nil means the directories of `$PATH` (read when searching).
        package var directories: [String]?
        /// Directories holding one `<version>/bin` per installed major version (Debian and Ubuntu:
        /// `/usr/lib/postgresql`); searched after `directories`, highest version first.
        package var versionRoots: [String]

        /// A search of `directories` (nil: `$PATH`), then of `versionRoots`.
        package init(directories: [String]? = nil, versionRoots: [String] = ["/usr/lib/postgresql"]) {
            self.directories = directories
            self.versionRoots = versionRoots
        }

        /// `$PATH`, then `/usr/lib/postgresql/*/bin`.
        package static let standard = Search()
    }

    /// The directory where both `initdb` and `pg_ctl` were found.
    package let directory: String
    /// The `initdb` program.
    package var initdb: String { directory + "/initdb" }
    /// The `pg_ctl` program.
    package var pgCtl: String { directory + "/pg_ctl" }

    /// Finds the first directory of `search` holding executable `initdb` and `pg_ctl` (blocking, only
    /// `stat`s files). Throws `.binariesNotFound`, naming the package to install, when there is none.
    package static func locate(_ search: Search = .standard) throws(EmbeddedPostgresError) -> PostgresBinaries {
        let pathDirectories =
            search.directories
            ?? (getenv("PATH").map { String(cString: $0) } ?? "").split(separator: ":").map(String.init)
        let candidates =
            pathDirectories.filter { !$0.isEmpty }.map(EmbeddedFiles.absolutePath)
            + search.versionRoots.flatMap(versionDirectories(under:))
        for directory in candidates where isExecutable(directory + "/initdb") && isExecutable(directory + "/pg_ctl") {
            return PostgresBinaries(directory: directory)
        }
        let roots = search.versionRoots.map { $0 + "/*/bin" }.joined(separator: ", ")
        throw EmbeddedPostgresError(
            .binariesNotFound,
            "the PostgreSQL server programs (initdb, pg_ctl) were found neither on PATH nor under "
                + "\(roots.isEmpty ? "any version directory" : roots), so Driftwatch cannot start its embedded "
                + "database. Install them (Debian/Ubuntu: apt-get install postgresql), or point Driftwatch at an "
                + "existing PostgreSQL server instead with DATABASE_URL (or database.url in the configuration).",
            output: "searched: " + candidates.joined(separator: ":"))
    }

    /// `<root>/<version>/bin` for each version directory under `root`, highest version first.
    static func versionDirectories(under root: String) -> [String] {
        let versions = EmbeddedFiles.entries(of: root).compactMap { name -> ([Int], String)? in
            let parts = name.split(separator: ".").map { part in Int(part.prefix(while: \.isNumber)) }
            guard let first = parts.first, first != nil else { return nil }
            return (parts.map { $0 ?? 0 }, name)
        }
        return versions.sorted { $0.0.lexicographicallyPrecedes($1.0) }.reversed().map { root + "/" + $0.1 + "/bin" }
    }

    private static func isExecutable(_ path: String) -> Bool {
        guard let info = EmbeddedFiles.status(path),
            info.st_mode & EmbeddedFiles.typeMask != EmbeddedFiles.directoryType
        else { return false }
        return access(path, X_OK) == 0
    }
}
