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

    pub fn addr(&self, id: u32) -> SocketAddr {
        self.addrs
            .get(id as usize)
            .copied()
            .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 0)))
    }
}
