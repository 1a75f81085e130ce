# grid-2x3.gp: figure "Estimates on the MI staircase (K = 64)", drawn by MIPlot; its data is grid-2x3.dat, beside this file.
# Redraw it from this directory:
#   gnuplot grid-2x3.gp                       writes grid-2x3.svg
#   gnuplot -e 'format="png"' grid-2x3.gp     writes grid-2x3.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' grid-2x3.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' grid-2x3.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'grid-2x3.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 1200,700 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 1200,700 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 12in,7in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'grid-2x3.dat'
set multiplot layout 2,3 rowsfirst title 'Estimates on the MI staircase (K = 64)' font ',13'

# Panel 1 (row 1, column 1): nwj
reset
set title 'nwj'
set ylabel 'MI (nats)'
set yrange [0:12]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 1 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'nwj', \
    data index 2 using 1:2 with steps lc rgb '#000000' lw 1.5 title 'true MI'

# Panel 2 (row 1, column 2): js
reset
set title 'js'
set yrange [0:12]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 3 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 4 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'js', \
    data index 5 using 1:2 with steps lc rgb '#000000' lw 1.5 title 'true MI'

# Panel 3 (row 1, column 3): nce
reset
set title 'nce'
set yrange [0:12]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 6 using 1:2 with lines lc rgb '#9EDACA' lw 1 notitle, \
    data index 7 using 1:2 with lines lc rgb '#009E73' lw 2 title 'nce', \
    data index 8 using 1:2 with steps lc rgb '#000000' lw 1.5 title 'true MI', \
    4.159 with lines lc rgb '#000000' lw 1.5 dt 2 title 'log K'

# Panel 4 (row 2, column 1): tuba
reset
set title 'tuba'
set xlabel 'training step'
set ylabel 'MI (nats)'
set yrange [0:12]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 9 using 1:2 with lines lc rgb '#ECCCDE' lw 1 notitle, \
    data index 10 using 1:2 with lines lc rgb '#CC79A7' lw 2 title 'tuba', \
    data index 11 using 1:2 with steps lc rgb '#000000' lw 1.5 title 'true MI'

# Panel 5 (row 2, column 2): alpha=0.5
reset
set title 'alpha=0.5'
set xlabel 'training step'
set yrange [0:12]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 12 using 1:2 with lines lc rgb '#F6DB9E' lw 1 notitle, \
    data index 13 using 1:2 with lines lc rgb '#E69F00' lw 2 title 'alpha=0.5', \
    data index 14 using 1:2 with steps lc rgb '#000000' lw 1.5 title 'true MI', \
    5.852 with lines lc rgb '#000000' lw 1.5 dt 2 title '1 + log(K/alpha)'

# Panel 6 (row 2, column 3): alpha=0.01
reset
set title 'alpha=0.01'
set xlabel 'training step'
set yrange [0:12]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 15 using 1:2 with lines lc rgb '#BFE3F7' lw 1 notitle, \
    data index 16 using 1:2 with lines lc rgb '#56B4E9' lw 2 title 'alpha=0.01', \
    data index 17 using 1:2 with steps lc rgb '#000000' lw 1.5 title 'true MI', \
    9.764 with lines lc rgb '#000000' lw 1.5 dt 2 title '1 + log(K/alpha)'

unset multiplot
unset output
