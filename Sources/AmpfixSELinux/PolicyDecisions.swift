import AmpfixCore
import CSELinux
import CSepol
import Glibc

/// Access decisions for `TYPE self:CLASS { perms }`: from the kernel's loaded policy through
/// libselinux (`security_compute_av`), or from a binary policy file through libsepol
/// (`sepol_compute_av`) for a root whose policy no kernel has loaded.
enum PolicyDecisions {
    /// The contexts tried for a type: with an MLS/MCS level first, then without.
    static func contexts(for type: String) -> [String] {
        ["system_u:system_r:\(type):s0", "system_u:system_r:\(type)"]
    }

    static func kernel(type: String, targetClass: String, permissions: [String]) -> AccessCheck {
        let tclass = string_to_security_class(targetClass)
        guard tclass != 0 else { return .unavailable("the loaded policy has no class \(targetClass)") }
        guard let context = contexts(for: type).first(where: { security_check_context($0) == 0 }) else {
            return .typeUndefined(type)
        }
        var requested: access_vector_t = 0
        var bits: [(String, access_vector_t)] = []
        for permission in permissions {
            let bit = string_to_av_perm(tclass, permission)
            guard bit != 0 else { return .denied(missing: [permission]) }
            bits.append((permission, bit))
            requested |= bit
        }
        var decision = av_decision()
        guard security_compute_av(context, context, tclass, requested, &decision) == 0 else {
            return .unavailable("security_compute_av failed: \(String(cString: strerror(errno)))")
        }
        let missing = bits.filter { decision.allowed & $0.1 == 0 }.map(\.0)
        return missing.isEmpty ? .granted(permissions) : .denied(missing: missing)
    }

    static func policyFile(_ file: UnsafeMutablePointer<FILE>, type: String, targetClass: String, permissions: [String]) -> AccessCheck {
        sepol_debug(0)  // libsepol would print its complaints to stderr
        guard sepol_set_policydb_from_file(file) == 0 else { return .unavailable("libsepol cannot read the policy file") }
        var tclass: sepol_security_class_t = 0
        guard sepol_string_to_security_class(targetClass, &tclass) == 0 else {
            return .unavailable("the policy has no class \(targetClass)")
        }
        var sid: sepol_security_id_t = 0
        let found = contexts(for: type).contains { context in
            context.withCString { sepol_context_to_sid($0, strlen($0) + 1, &sid) == 0 }
        }
        guard found else { return .typeUndefined(type) }
        var requested: sepol_access_vector_t = 0
        var bits: [(String, sepol_access_vector_t)] = []
        for permission in permissions {
            var bit: sepol_access_vector_t = 0
            guard sepol_string_to_av_perm(tclass, permission, &bit) == 0 else { return .denied(missing: [permission]) }
            bits.append((permission, bit))
            requested |= bit
        }
        var decision = sepol_av_decision()
        guard sepol_compute_av(sid, sid, tclass, requested, &decision) == 0 else {
            return .unavailable("sepol_compute_av failed")
        }
        let missing = bits.filter { decision.allowed & $0.1 == 0 }.map(\.0)
        return missing.isEmpty ? .granted(permissions) : .denied(missing: missing)
    }
}
