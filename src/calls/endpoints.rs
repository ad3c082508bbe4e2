use foldhash::HashMap;
use std::net::SocketAddr;

/// Numbers each address:port once; records hold the small number.
#[derive(Debug, Default)]
pub struct Endpoints {
    ids: HashMap<SocketAddr, u32>,
    addrs: Vec<SocketAddr>,
}

impl Endpoints {
    pub fn id(&mut self, addr: SocketAddr) -> u32 {
        *self.ids.entry(addr).or_insert_with(|| {
            self.addrs.push(addr);
            (self.addrs.len() - 1) as u32
        })
    }

    /// A table of only the addresses `keep` says are still used, and each
    /// old number's new one (`u32::MAX` for those dropped).
    pub(super) fn compacted(&self, used: &[bool]) -> (Endpoints, Vec<u32>) {
        let mut fresh = Endpoints::default();
        let mut map = vec![u32::MAX; self.addrs.len()];
        for (old, addr) in self.addrs.iter().enumerate() {
            if used.get(old).copied().unwrap_or(false) {
                if let Some(slot) = map.get_mut(old) {
                    *slot = fresh.id(*addr);
                }
            }
        }
        (fresh, map)
    }

    pub fn len(&self) -> usize {
        self.addrs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.addrs.is_empty()
    }

    pub fn addr(&self, id: u32) -> SocketAddr {
        self.addrs
            .get(id as usize)
            .copied()
            .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 0)))
    }
}
