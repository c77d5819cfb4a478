# The demo guest: show that a Linux guest booted under seavmm and reached init.
echo "=============================================="
echo " Hello from a seavmm guest: $(uname -sr)"
echo " CPUs online: $(grep -c ^processor /proc/cpuinfo)   memory: $(sed -n 's/MemTotal: *//p' /proc/meminfo)"
echo "=============================================="
