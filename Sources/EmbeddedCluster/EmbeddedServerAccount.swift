#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The unprivileged user that runs `initdb`, `pg_ctl` and the server when Driftwatch runs as root
/// (PostgreSQL refuses to run as root): the owner of an existing cluster, else `postgres` (the Debian
/// package's user), else `nobody`. Programs are started through `setpriv` (or `runuser`).
struct EmbeddedServerAccount: Sendable, Equatable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// The account for a cluster whose data directory is `dataDirectory`, or nil when not running as root
    /// (the programs then run as the current user).
    static func forCluster(dataDirectory: String) throws(EmbeddedPostgresError) -> EmbeddedServerAccount? {
        guard geteuid() == 0 else { return nil }
        if let info = EmbeddedFiles.status(dataDirectory), info.st_uid != 0, let owner = lookup(uid: info.st_uid) {
            return owner
        }
        if let account = lookup(name: "postgres") ?? lookup(name: "nobody") { return account }
        throw EmbeddedPostgresError(
            .permissionDenied,
            "Driftwatch runs as root and PostgreSQL refuses to run as root, but neither the user 'postgres' nor "
                + "'nobody' exists to run the embedded server. Install PostgreSQL (apt-get install postgresql, "
                + "which creates the 'postgres' user), or run Driftwatch as a normal user.")
    }

    static func lookup(name: String) -> EmbeddedServerAccount? {
        withPasswdEntry { entry, buffer, result in getpwnam_r(name, &entry, buffer, bufferSize, &result) }
    }

    static func lookup(uid: uid_t) -> EmbeddedServerAccount? {
        withPasswdEntry { entry, buffer, result in getpwuid_r(uid, &entry, buffer, bufferSize, &result) }
    }

    private static let bufferSize: Int = 16384

    private static func withPasswdEntry(
        _ call: (inout passwd, UnsafeMutablePointer<CChar>, inout UnsafeMutablePointer<passwd>?) -> Int32
    ) -> EmbeddedServerAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bufferSize)
        defer { buffer.deallocate() }
        guard call(&entry, buffer, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
        return EmbeddedServerAccount(name: String(cString: name), uid: entry.pw_uid, gid: entry.pw_gid)
    }

    /// The groups the account is a member of (its primary group first).
    var groups: [gid_t] {
        #if canImport(Glibc)
            var count: Int32 = 64
            var list = [gid_t](repeating: 0, count: Int(count))
            if getgrouplist(name, gid, &list, &count) < 0 {
                list = [gid_t](repeating: 0, count: Int(count))
                guard getgrouplist(name, gid, &list, &count) >= 0 else { return [gid] }
            }
            return Array(list.prefix(Int(count)))
        #else
            return [gid]
        #endif
    }

    /// The command that runs the rest of an argument list as this account.
    func commandPrefix() throws(EmbeddedPostgresError) -> [String] {
        let setprivPaths: [String] = ["/usr/bin/setpriv", "/bin/setpriv"]
        let runuserPaths: [String] = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        if let setpriv = setprivPaths.first(where: { access($0, X_OK) == 0 }) {
            return [setpriv, "--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--"]
        }
        if let runuser = runuserPaths.first(where: { access($0, X_OK) == 0 }) {
            return [runuser, "-u", name, "--"]
        }
        throw EmbeddedPostgresError(
            .permissionDenied,
            "Driftwatch runs as root and PostgreSQL refuses to run as root, so the embedded server must run as "
                + "user '\(name)', but neither setpriv nor runuser (util-linux) was found. Install util-linux, "
                + "or run Driftwatch as a normal user.")
    }

    /// Throws unless the account can search (`x`) every existing directory from `/` down to `path`, which
    /// the server needs to reach its data directory below it (ACLs are not consulted).
    func checkCanReach(_ path: String, stateDirectory: String) throws(EmbeddedPostgresError) {
        let memberOf = groups
        var prefixes = ["/"]
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            prefixes.append(current)
        }
        for prefix in prefixes {
            guard let info = EmbeddedFiles.status(prefix) else { continue }
            let mode = info.st_mode
            let allowed: Bool
            if info.st_uid == uid {
                allowed = mode & 0o100 != 0
            } else if memberOf.contains(info.st_gid) {
                allowed = mode & 0o010 != 0
            } else {
                allowed = mode & 0o001 != 0
            }
            if !allowed {
                let owner = Self.lookup(uid: info.st_uid)?.name ?? "uid \(info.st_uid)"
                throw EmbeddedPostgresError(
                    .permissionDenied,
                    "Driftwatch runs as root and PostgreSQL refuses to run as root, so the embedded server runs "
                        + "as the unprivileged user '\(name)'; but '\(name)' cannot enter \(prefix) (mode "
                        + "0\(String(mode & 0o7777, radix: 8)), owner \(owner)), which is on the way to the state "
                        + "directory \(stateDirectory). Pick a state directory that user can reach (for example "
                        + "under /var/lib/driftwatch or /srv, not under /root), or run Driftwatch as a normal "
                        + "user.")
            }
        }
    }
}
